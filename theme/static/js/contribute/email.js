// The hand-over without a GitHub account: the file to download, an e-mail to the
// library's mailbox (or the first chosen topic's, copying the others'), and, where the
// publisher runs one, a form handler the page posts the entry to. Nothing is cut: an
// entry too long for an e-mail link (mail programs refuse long ones) goes as the
// downloaded file, attached, and the link carries a short message naming it. A facilitator
// turns what arrives into a pull request with `casehub add` (plugins/casehub/contribute/
// submission.py), which finds the entry between the BEGIN and END lines, in an attached
// file, or pasted into the e-mail.
import {ROUTES, byId} from "./page.js";

const MAX_MAILTO = 2000;  // Outlook and some webmail handlers refuse longer mailto: links
export const BEGIN = "----- BEGIN CASEHUB ENTRY";
export const END = "----- END CASEHUB ENTRY -----";
let download = "";  // the Blob address of the file on offer, released when a newer one replaces it

// Who the entry goes to: the chosen topics' own mailboxes, and the library's if a topic (or
// none) has none of its own; the first "to", the others copied.
export function mailboxes(topics) {
  const own = topics.map(topic => (ROUTES.topicMailboxes || {})[topic]);
  const all = [...new Set([...own, ...(own.includes(undefined) || !own.length ? [ROUTES.mailbox] : [])]
    .filter(Boolean))];
  return {to: all[0] || "", cc: all.slice(1)};
}

// The mailto: address: the whole file between marker lines when it fits, else a note naming the attachment.
export function mailtoLink(state) {
  const {to, cc} = mailboxes(state.meta.topics);
  const name = `${state.id}.md`;
  const subject = `Casehub entry: ${state.meta.title || name}`;
  const head = `mailto:${to}?${cc.length ? `cc=${cc.map(encodeURIComponent).join(",")}&` : ""}` +
    `subject=${encodeURIComponent(subject)}&body=`;
  const crlf = text => encodeURIComponent(text.replace(/\n/g, "\r\n"));
  const inline = "Please add this entry to Casehub.\n\n"
    + `${BEGIN} casestudies/${name} -----\n${state.file}${END}\n`;
  if ((head + crlf(inline)).length <= MAX_MAILTO) return {href: head + crlf(inline), inline: true};
  const note = `Please add my entry to Casehub: "${state.meta.title || name}".\n\n`
    + `The entry is the attached file, ${name}.\n`;
  return {href: head + crlf(note), inline: false};
}

export function fillEmail(state) {
  const name = `${state.id}.md`;
  for (const span of document.querySelectorAll(".file-name")) span.textContent = `(${name}, ${Math.ceil(state.file.length / 1024)} KB)`;
  const link = byId("download-file");
  if (link) {
    if (download) URL.revokeObjectURL(download);
    download = URL.createObjectURL(new Blob([state.file], {type: "text/markdown;charset=utf-8"}));
    link.href = download;
    link.download = name;
    link.textContent = `Download the file ${name}`;
  }
  const email = byId("email-link");
  if (email && ROUTES.mailbox) {
    const {href, inline} = mailtoLink(state);
    const {to, cc} = mailboxes(state.meta.topics);
    email.href = href;
    byId("mailbox").textContent = byId("mailbox-plain").textContent = to + (cc.length ? `, copied to ${cc.join(", ")}` : "");
    byId("email-attach").hidden = inline;
    byId("email-inline").hidden = !inline;
  }
  const status = byId("send-status");
  if (status) status.textContent = "";
}

// Post the entry to the publisher's form handler: the file (as <id>.md) and its text, the id,
// title and topics, the mailbox it would go to, and the contributor's address if they gave one.
export async function sendEntry(state) {
  const status = byId("send-status");
  const button = byId("send-endpoint");
  const data = new FormData();
  const name = `${state.id}.md`;
  data.append("id", state.id);
  data.append("title", state.meta.title || "");
  data.append("topics", state.meta.topics.join(","));
  data.append("mailbox", mailboxes(state.meta.topics).to || "");
  data.append("reply_to", byId("reply-to").value.trim());
  data.append("entry", state.file);
  data.append("file", new Blob([state.file], {type: "text/markdown"}), name);
  button.disabled = true;
  status.textContent = "Sending…";
  try {
    const response = await fetch(ROUTES.endpoint, {method: "POST", body: data, headers: {Accept: "application/json"}});
    if (!response.ok) throw new Error(`the server answered ${response.status}`);
    status.textContent = `Sent: ${name} has reached the facilitators. You can close this page; a facilitator will be in touch`
      + `${byId("reply-to").value.trim() ? " by e-mail" : ""}.`;
    return true;
  } catch (error) {
    status.textContent = `Your entry could not be sent (${error.message}). Nothing is lost: try again, or `
      + (ROUTES.mailbox ? "download the file and e-mail it instead." : "download the file and keep it.");
    return false;
  } finally {
    button.disabled = false;
  }
}
