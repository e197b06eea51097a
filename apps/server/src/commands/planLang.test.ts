// `eni-view plan --lang ko` (issue 16, point 1): the planner's own sentences (the changes, the first limit,
// the EC2 and settle lines, what only replaced nodes get, the answers, a refused input) in Korean with
// the same numbers; only names, ids and the scheduler's own messages stay in Latin script. In-process
// runs (testing/inProcessCli.ts), on the scale lab's capture folder.
import assert from "node:assert/strict";
import { test } from "node:test";
import { englishWords } from "@eni-view/model";
import { runInProcess } from "../testing/inProcessCli.ts";

const dump = new URL("../sources/dump/fixtures/scale-lab-2", import.meta.url).pathname;
const numbers = (text: string) => (text.replaceAll(/IPv4/gi, "").match(/\d+/g) ?? []).sort();
/** The scale lab's 2 -> 50, on one seed. */
const scale50 = ["plan", "--dump", dump, "--scale", "default/nginx-deployment=50", "--seeds", "1"];

/** The command in English, then with --lang ko. */
async function inBoth(args: string[]) {
  return { en: await runInProcess(args, {}), ko: await runInProcess([...args, "--lang", "ko"], {}) };
}

// Latin words the Korean Kubernetes and AWS documentation keeps: kinds and components by their names.
const kept = new Set(["kubelet", "Deployment", "Pending", "API"]);

test("plan --lang ko says the planner's sentences in Korean, with the numbers of the English plan", async () => {
  const args = [
    ...scale50,
    ...["--set", "ENABLE_PREFIX_DELEGATION=true", "--set", "WARM_PREFIX_TARGET=1"],
    ...["--eni-config", "ap-northeast-2a=subnet-0b548ea75c1c36d92", "--roll", "ng1"],
    ...["--fit", "default/nginx-deployment"],
  ];
  const { en, ko } = await inBoth(args);
  assert.equal(ko.code, 0, ko.stderr);
  assert.deepEqual(numbers(ko.stdout), numbers(en.stdout));
  assert.match(ko.stdout, /Deployment default\/nginx-deployment의 레플리카를 2개에서 50개로/);
  assert.match(ko.stdout, /교체한 노드에서만: ENIConfig ap-northeast-2a의 서브넷을/);
  // What is left in Latin letters is data: names and ids (identifiers by their shape, as englishWords
  // tells them). With 110 pods a node after the roll, no pod is left Pending: no scheduler message.
  assert.doesNotMatch(en.stdout, /nodes are available/);
  const rest = ko.stdout.replaceAll(/\n +/g, " ").replaceAll(/-o \w+/g, "");
  assert.deepEqual(englishWords(rest, kept), []);
});

test("plan --lang ko refuses a node group the cluster lacks in Korean, naming it and the cluster's", async () => {
  const ko = await runInProcess(["plan", "--dump", dump, "--add-nodes", "ng9=1", "--lang", "ko"], {});
  assert.equal(ko.code, 2);
  assert.match(ko.stderr, /알 수 없는 노드 그룹 ng9: 클러스터의 노드 그룹은 ng1입니다/);
});

test("plan --lang ko keeps the scheduler's message verbatim and says beside it, in Korean, what it means", async () => {
  const ko = await runInProcess([...scale50, "--lang", "ko"], {});
  assert.equal(ko.code, 0, ko.stderr);
  assert.match(ko.stdout, /too-many-pods: 0\/3 nodes are available: 3 Too many pods\./);
  assert.match(ko.stdout, /^ {6}이유: 갈 수 있는 노드가 모두 최대 파드 수만큼 파드를 실행하고 있습니다/m);
});

test("plan -o json is the same document in English and with --lang ko", async () => {
  const args = [...scale50, "-o", "json"];
  const { en, ko } = await inBoth(args);
  assert.equal(en.code, 0, en.stderr);
  assert.equal(ko.stdout, en.stdout);
});
