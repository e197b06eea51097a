import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { layoutCluster } from "../layout/clusterLayout.ts";
import { eni, slots, t3medium } from "../layout/testNodes.ts";
import { pictureSvg } from "./picture.ts";
import { titleOnly } from "./pictureHeader.ts";
import { escapeXml } from "./svgPainter.ts";
import { themes } from "./theme.ts";

const hostile = "<img src=x onerror=alert(1)>";

describe("SVG export", () => {
  it("escapes markup characters", () => {
    assert.equal(escapeXml(`a<b>&"c'`), "a&#60;b&#62;&#38;&#34;c&#39;");
  });

  it("writes a hostile node name as text inside a <text> element, never as an element", () => {
    const node = t3medium(hostile, [eni("eni-a", 0, slots(11, 5, 2, `default/${hostile}`))]);
    const layout = layoutCluster([node], { grouping: "zone" });
    const svg = pictureSvg({
      layout,
      style: {
        theme: themes.light,
        podColor: () => "#4e79a7",
        lit: null,
        nodeLit: null,
        problems: null,
        heat: null,
      },
      content: titleOnly(`cluster ${hostile}`),
    });
    assert.ok(!svg.includes("<img"), "no raw <img in the document");
    assert.ok(svg.includes("&#60;img src=x onerror=alert(1)&#62;"));
    assert.match(svg, /^<\?xml[\s\S]*<svg [\s\S]*<\/svg>$/);
    // t3.medium, one ENI attached with 5 IPs of which 2 hold pods: 2 pod cells, 3 warm outlines, and
    // the two ENIs not attached yet drawn as 2 x (1 primary + 5) placeholder outlines.
    assert.equal(svg.match(/fill="#4e79a7"/g)?.length, 2);
    assert.equal(svg.match(/width="7.8" height="7.8" fill="none"/g)?.length, 3);
    assert.equal(svg.match(/width="8" height="8" fill="none"/g)?.length, 12);
  });
});
