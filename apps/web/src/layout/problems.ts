// The problem kinds live in the model, so that the page and `eni-view report` name the same problems
// the same way; the page's modules take them from here.
export {
  indexProblems,
  lowSubnets,
  nodeProblems,
  type ProblemEntry,
  type ProblemIndex,
  type ProblemKind,
  type ProblemSort,
  problemKinds,
  problemSorts,
  problemTitles,
  SUBNET_LOW_SHARE,
  sortEntries,
} from "@eni-view/model";
