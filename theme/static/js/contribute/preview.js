// The preview: plain text in the shape of the entry page. User text is only ever
// written with textContent.
import {NATIONS, byId, el, label} from "./page.js";
import {HEADING} from "./rules.js";

export function renderPreview(state) {
  const {meta} = state;
  const nodes = [el("h3", meta.title ? {} : {class: "placeholder"}, meta.title || "Your title")];
  nodes.push(el("p", meta.summary ? {class: "preview-summary"} : {class: "placeholder"}, meta.summary || "Your summary"));
  const facts = [];
  const fact = (name, text) => { if (text) facts.push(el("dt", {}, name), el("dd", {}, text)); };
  fact("Type", meta.type && label("types", meta.type));
  fact(meta.organisations.length > 1 ? "Organisations" : "Organisation", meta.organisations.filter(o => o.name)
    .map(o => `${o.name}${o.role ? ` (${o.role})` : ""}`).join("; "));
  fact("Where", [meta.geography.region && label("regions", meta.geography.region),
    meta.geography.nation && NATIONS[meta.geography.nation]].filter(Boolean).filter((x, i, all) => all.indexOf(x) === i).join(", "));
  fact("Council type", meta.geography.council_type && label("council-types", meta.geography.council_type));
  fact("Topics", meta.topics.map(topic => label("topics", topic)).join(", "));
  fact("Stage", meta.stage && label("stages", meta.stage));
  fact("Published", meta.published);
  const figure = (value, unit) => [value, unit].filter(v => v !== undefined).join(" ");
  for (const result of meta.outcomes || []) {
    fact("Result", [result.measure, figure(result.value, result.unit)
      + (result.baseline !== undefined ? ` (before: ${figure(result.baseline, result.unit)})` : "")
      + (result.period ? `, ${result.period}` : "")].filter(Boolean).join(": "));
  }
  fact("Keywords", (meta.tags || []).join(", "));
  fact("Contact", [meta.contact.team, meta.contact.email, meta.contact.url].filter(Boolean).join(", "));
  for (const link of meta.links || []) fact("Further reading", [link.title, link.url].filter(Boolean).join(": "));
  if (facts.length) {
    const box = el("div", {class: "key-facts"});
    const list = el("dl");
    list.append(...facts);
    box.append(el("h4", {}, "Key facts"), list);
    nodes.push(box);
  }
  let paragraph = [];
  const flush = () => { if (paragraph.length) nodes.push(el("p", {class: "preview-text"}, paragraph.join("\n"))); paragraph = []; };
  for (const line of state.bodyText.split("\n")) {
    const heading = HEADING.exec(line);
    if (heading) {
      flush();
      nodes.push(el("h4", {}, heading[1]));
    } else if (line.trim()) paragraph.push(line);
    else flush();
  }
  flush();
  byId("preview-body").replaceChildren(...nodes);
  byId("preview-file").textContent = state.file;
}
