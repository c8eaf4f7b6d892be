"""Safe-text rules: the patterns and cleaners every route uses on untrusted text.

One home for what counts as an invisible control character, raw HTML, an
unsafe link, a code fence or span, an id and a contact address, so the loader,
the validator's rules, the issue-form converter, the importers, facilitators'
edits and federation all agree. Detectors (`HTML`, `UNSAFE_LINK`) decide what
the validator reports; cleaners (`clean_characters`, `remove_unsafe_links`,
`strip_html`) are what the routes that take text from outside apply first, so
what they write passes those detectors.

Every pattern here runs on text up to the loader's 1 MB cap, including text an
attacker chose: none may backtrack more than linearly on a line (no two
adjacent quantifiers that can match the same characters).
"""

from __future__ import annotations

import re

# C0/C1 controls other than tab, newline and carriage return; bidirectional
# overrides and isolates (the "Trojan Source" characters); a stray BOM.
FORBIDDEN_CHARS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
)
ASCII_CONTROLS = bytes(c for c in range(128) if FORBIDDEN_CHARS.match(chr(c)))
# Line and paragraph separators, which become new lines; the non-characters YAML refuses.
LINE_SEPARATORS = re.compile("[\u2028\u2029\x85]")
NONCHARACTERS = re.compile("[\ufffe\uffff]")

# An entry's id (and its file name): lower-case words joined by single hyphens.
ID_PATTERN = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
ID_MAX_LENGTH = 80

# A contact address, whole: the same pattern as the schema's `contact.email`
# (tests/test_schema.py checks they agree). Used with finditer, it is how the
# personal-data rule finds an address in prose.
EMAIL_ADDRESS = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# A contact that is a person's own mailbox, not a team's: an address at a webmail provider…
WEBMAIL_DOMAINS = frozenset("""
    aim.com aol.co.uk aol.com blueyonder.co.uk btinternet.com btopenworld.com fastmail.com gmail.com gmx.co.uk
    gmx.com gmx.de gmx.net googlemail.com hey.com hotmail.co.uk hotmail.com hushmail.com icloud.com live.co.uk
    live.com mac.com mail.com me.com msn.com ntlworld.com outlook.co.uk outlook.com pm.me proton.me
    protonmail.ch protonmail.com rocketmail.com sky.com talktalk.net tiscali.co.uk tuta.io tutanota.com
    virginmedia.com yahoo.co.uk yahoo.com ymail.com zoho.com
""".split())
# …or a local part shaped like a person's name (jane.smith, j.smith, jane_m_smith, jane.smith-jones2),
# unless one of its words names a role, a team or a service (digital.services, waste-team, active.travel).
# Matched whole and ignoring case; the Contribute page's script reads this pattern's source too.
ROLE_WORDS = tuple("""
    active admin administration adult adults arts authority benefits board borough building business businesses
    care careers centre center change children childrens city climate comms communications community communities
    complaint complaints consultation contact contacts council councils county culture customer customers cyber
    data delivery democratic design desk development digital district donotreply early economic economy education
    elections electoral employment energy engagement enquiries enquiry environment environmental events families
    family feedback finance foi forum general gov government green group groups growth health hello help helpdesk
    heritage highways homelessness homes housing hr hub ict improvement info information innovation insight
    intelligence it jobs leisure learning libraries library licensing mail mailbox marketing media members museum
    museums nature net network networks news noreply office online parish parking parks partnership partnerships
    payroll people performance places planning policy press privacy procurement programme project projects public
    recruitment recycling regeneration repairs reply research resident residents revenues roads safeguarding
    school schools security service services skills smart social standards strategy streets support
    sustainability tax team teams tech technology tourism town trading training transformation transport travel
    unit units user volunteering volunteers waste web website wellbeing workforce years young youth zero
""".split())
PERSONAL_MAILBOX = re.compile(
    r"^(?!(?:[a-z]+[._-])*(?:" + "|".join(ROLE_WORDS) + r")(?:[._-]|[0-9]|$))"
    r"[a-z]+(?:['-][a-z]+)?(?:[._-][a-z])?[._-][a-z]+(?:'[a-z]+)?(?:-[a-z]{2,})?[0-9]{0,4}$", re.IGNORECASE)


def personal_mailbox(address: str) -> str:
    """Why a contact address looks like a person's own ('webmail' or 'name'), or ''."""
    local, _, domain = address.strip().rpartition("@")
    if domain.lower() in WEBMAIL_DOMAINS:
        return "webmail"
    if local and PERSONAL_MAILBOX.match(local):
        return "name"
    return ""


# A web address typed without its scheme ("camden.gov.uk/data").
WEB_DOMAIN = re.compile(r"(?:www\.)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?:/\S*)?")
_WEB_ADDRESS = re.compile(r"(?i)https?://\S+$")

# A `#` or `##` heading, which text put under a section's own `## ` heading is demoted from.
TOP_HEADING = re.compile(r"^( {0,3})#{1,2}(?=[ \t]|$)")

# Markdown code: a fence line opening or closing a block, and an inline code span.
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")

# What Markdown would pass through as HTML: a comment, processing instruction, CDATA, or a
# tag (also one cut off by the end of the line, which Markdown continues on the next).
HTML = re.compile(r"<!--|<\?|<!\[CDATA\[|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|</?[A-Za-z][A-Za-z0-9-]*\s*$")
TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
SCRIPT_BLOCK = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)

# A javascript:, vbscript:, data: or file: scheme, however it is spaced out.
UNSAFE_SCHEME = (r"(?:j\s*a\s*v\s*a\s*s\s*c\s*r\s*i\s*p\s*t|v\s*b\s*s\s*c\s*r\s*i\s*p\s*t|d\s*a\s*t\s*a|f\s*i\s*l\s*e)"
                 r"\s*:")
# Where a link's address starts (`](`, `]:`, `<`, `href=`), then such a scheme. `\s*(?:<\s*)?`
# rather than `\s*<?\s*`: the two spellings match the same text, but the second tries every
# split of a run of spaces, which a body of spaces turns into minutes.
_OPENER = r"(?:\]\(|\]:|<|\bhref\s*=(?:\s*[\"'])?)"
UNSAFE_LINK = re.compile(_OPENER + r"\s*(?:<\s*)?" + UNSAFE_SCHEME, re.IGNORECASE)
_UNSAFE_AFTER_OPENER = re.compile("(" + _OPENER + r")(\s*(?:<\s*)?" + UNSAFE_SCHEME + ")", re.IGNORECASE)
_MD_UNSAFE_LINK = re.compile(r"(!?)\[([^\]\n]*)\]\(\s*(?:<\s*)?" + UNSAFE_SCHEME + r"(?:[^()\n]|\([^()\n]*\))*\)?",
                             re.IGNORECASE)
_REF_UNSAFE_LINK = re.compile(r"^ {0,3}\[[^\]\n]+\]:\s*(?:<\s*)?" + UNSAFE_SCHEME + r".*$",
                              re.IGNORECASE | re.MULTILINE)
_AUTO_UNSAFE_LINK = re.compile(r"<\s*" + UNSAFE_SCHEME + r"[^>\n]*>?", re.IGNORECASE)


def clean_characters(text: str) -> tuple[str, int]:
    """Text with unified line breaks and without invisible controls; and how many were removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = LINE_SEPARATORS.sub("\n", text)
    text, removed = FORBIDDEN_CHARS.subn("", text)
    text, more = NONCHARACTERS.subn("", text)
    return text, removed + more


def remove_unsafe_links(text: str) -> tuple[str, bool]:
    """Remove javascript:, vbscript:, data: and file: links, keeping link text; and whether any were."""
    before = text
    text = _MD_UNSAFE_LINK.sub(lambda m: m.group(2), text)
    text = _REF_UNSAFE_LINK.sub("", text)
    text = _AUTO_UNSAFE_LINK.sub("", text)
    lines = text.split("\n")
    for index, line in enumerate(lines):  # whatever is left in another spelling loses its scheme
        while UNSAFE_LINK.search(line):
            line = _UNSAFE_AFTER_OPENER.sub(lambda m: m.group(1), line, count=1)
            if UNSAFE_LINK.search(line) and not _UNSAFE_AFTER_OPENER.search(line):
                line = UNSAFE_LINK.sub("", line)
        lines[index] = line
    text = "\n".join(lines)
    return text, text != before


def strip_html(prose: str, escape_rest: bool = True) -> str:
    """Remove HTML from prose (script and style with their content), keeping code spans as written.

    With `escape_rest`, whatever still reads as HTML (`<?`, `<![CDATA[`, a tag cut off by
    the end of a line) has its `<` written as `&lt;`, which Markdown shows as itself."""
    spans: list[str] = []

    def keep(match):
        spans.append(match.group())
        return f"\x00{len(spans) - 1}\x00"

    prose = "\n".join(CODE_SPAN.sub(keep, line) for line in prose.split("\n"))
    prose = SCRIPT_BLOCK.sub("", prose)
    prose = COMMENT.sub("", prose)
    prose = TAG.sub("", prose)
    if escape_rest:
        lines = []
        for line in prose.split("\n"):
            while match := HTML.search(line):
                line = line[:match.start()] + "&lt;" + line[match.start() + 1:]
            lines.append(line)
        prose = "\n".join(lines)
    return re.sub("\x00([0-9]+)\x00", lambda m: spans[int(m.group(1))], prose)


def one_line(text: str) -> str:
    """White space, line breaks included, collapsed to single spaces."""
    return " ".join(text.split())


def contact_address(value: str) -> tuple[str, str]:
    """A contact answer tidied (angle brackets and a `mailto:` taken off), and what it is:
    "url" (a web address starting http:// or https://), "email", "domain" (a web address
    typed without https://), or "" (none of these: the caller decides what to say)."""
    value = value.strip().strip("<>").strip()
    if value.lower().startswith("mailto:"):
        value = value[7:].strip()
    if _WEB_ADDRESS.match(value):
        return value, "url"
    if EMAIL_ADDRESS.fullmatch(value):
        return value, "email"
    if WEB_DOMAIN.fullmatch(value):
        return value, "domain"
    return value, ""


# Markdown punctuation, and `@` (a mention) and `<`, `>` (HTML), escaped with a backslash.
MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]|#~!@<>])")


def markdown_text(text: str) -> str:
    """Untrusted text shown as itself on one line of GitHub Markdown (an issue, a pull request):
    no markup, link, mention, table cell or heading; controls removed, white space collapsed."""
    text, _ = clean_characters(text)
    return MARKDOWN_PUNCTUATION.sub(r"\\\1", one_line(text))


def team_mailbox(address: str) -> bool:
    """Whether an address in an entry's text may be published: a team's or a role's mailbox (digital@…,
    info@…, repairs@…), not a person's own (`personal_mailbox`: webmail, or shaped like a name). The
    personal-data rule and the importers share this one test."""
    return not personal_mailbox(address)
