import assert from "node:assert/strict";
import { after, test } from "node:test";
import { diagnosePending, type PodInput } from "@eni-view/model";
import { i18n } from "../i18n/i18n.ts";
import { pendingMessage } from "./pendingText.ts";

const pod = (over: Partial<PodInput>): PodInput =>
  ({
    namespace: "default",
    name: "web-1",
    nodeName: null,
    podIp: null,
    hostNetwork: false,
    status: "Pending",
    waitingReason: null,
    scheduledMessage: null,
    scheduledReason: null,
    ...over,
  }) as PodInput;

after(() => i18n.changeLanguage("en"));

test("the scheduler's own message stays verbatim in Korean", async () => {
  await i18n.changeLanguage("ko");
  const message = "0/3 nodes are available: 3 Too many pods.";
  const d = diagnosePending(pod({ scheduledMessage: message }));
  assert.deepEqual(pendingMessage(d), { text: message, verbatim: true });
});

test("eni-view's own words for a pod not scheduled yet or starting are said in Korean", async () => {
  await i18n.changeLanguage("ko");
  assert.deepEqual(pendingMessage(diagnosePending(pod({}))), {
    text: "아직 노드에 배정되지 않음",
    verbatim: false,
  });
  const starting = diagnosePending(pod({ nodeName: "ip-10-0-1-1", waitingReason: "ContainerCreating" }));
  assert.equal(starting.reason, "starting");
  assert.deepEqual(pendingMessage(starting), { text: "IP 대기 중 (ContainerCreating)", verbatim: false });
  await i18n.changeLanguage("en");
  assert.equal(pendingMessage(starting).text, "waiting for an IP (ContainerCreating)");
});
