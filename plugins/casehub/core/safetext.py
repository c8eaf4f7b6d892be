"""Safe-text rules: the patterns and cleaners every route uses on untrusted text.

One home for what counts as an invisible control character, raw HTML, an
unsafe link, a code fence or span, an id and a contact address, so the loader,
the validator's rules, the issue-form converter, the importers, facilitators'
edits and federation all agree. Detectors (`HTML`, `UNSAFE_LINK`) decide what
the validator reports; cleaners (`clean_characters`, `remove_unsafe_links`,
`strip_html`) are what the routes that take text from outside apply first, so
what they write passes those detectors.

Every pattern here runs on text up to the loader's 1 MB cap, including text an
attacker chose, so each must take time linear in the text however it is used
(tests/test_redos.py feeds every pattern in the package adversarial text):
no two adjacent quantifiers that can match the same characters, and no scan
from one possible start that can run past the next possible start (a run of
`[` or `<!--` would otherwise make every one of them scan to the end).
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


def unsafe_character(text: str) -> re.Match | None:
    """The first character no text may hold: an invisible or bidirectional control, or a
    non-character (which XML, and so the site's feeds, cannot carry)."""
    return FORBIDDEN_CHARS.search(text) or NONCHARACTERS.search(text)


_INVISIBLE = re.compile(FORBIDDEN_CHARS.pattern[:-1] + "\t\n\r\u2028\u2029\ufffe\uffff]")
_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def visible(text: str, lines: bool = False) -> str:
    """Text to show on one line of a terminal, an annotation or a message: line breaks, tabs,
    controls and text-direction characters written as escapes (`\\n`, `\\x1b`, `\\u202e`),
    so they can neither move the cursor, colour the output nor reorder what follows. With
    `lines`, line breaks are kept (a message of several lines)."""
    if text.isprintable() and text.isascii():
        return text
    return _INVISIBLE.sub(lambda m: m.group() if lines and m.group() == "\n"
                          else _ESCAPES.get(m.group()) or repr(m.group())[1:-1], text)


def character_kind(char: str) -> str:
    """What an unsafe character is, in words: 'a bidirectional-text control character'."""
    if "\u061c" <= char <= "\u2069":
        return "a bidirectional-text control character"
    return "a non-character" if NONCHARACTERS.match(char) else "an invisible control character"


# An entry's id (and its file name): lower-case words joined by single hyphens.
ID_PATTERN = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
ID_MAX_LENGTH = 80

# A contact address, whole: the schema's `contact.email` is this pattern, anchored
# (tests/test_schema.py checks they agree), so nothing that could add to a mailto:
# link (`?`, `&`, `#`, `/`, `:`) gets in. Used with finditer, it is how the
# personal-data rule finds an address in prose; the look-behind starts a match
# only where a run of such characters starts, so a long run is read once.
_DOMAIN_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"  # no hyphen at either end
EMAIL_ADDRESS = re.compile(r"(?<![A-Za-z0-9._%+'-])[A-Za-z0-9._%+'-]+@"
                           + _DOMAIN_LABEL + r"(?:\." + _DOMAIN_LABEL + ")+")
# A web address typed without its scheme ("camden.gov.uk/data").
WEB_DOMAIN = re.compile(r"(?<![A-Za-z0-9.-])(?:www\.)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?:/\S*)?")
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


_WEB_ADDRESS = re.compile(r"(?i)https?://\S+$")

# A `#` or `##` heading, which text put under a section's own `## ` heading is demoted from.
TOP_HEADING = re.compile(r"^( {0,3})#{1,2}(?=[ \t]|$)")

# Markdown code: a fence line opening or closing a block (inline code spans: `code_spans`).
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_BACKTICKS = re.compile("`+")

# What Markdown would pass through as HTML: a comment, processing instruction, CDATA, or a
# tag, also one cut off by the end of the line (`<img`, `<img src="…"`), which Markdown
# continues on the next line up to its `>`.
HTML = re.compile(r"<!--|<\?|<!\[CDATA\[|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?(?:/?>|$)")
TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
# Where anything HTML matches starts (and a little more: `<b` in `a <b c`); `&lt;` there
# reads as `<` in Markdown, and leaves nothing for HTML to match.
_HTML_START = re.compile(r"<(?=!--|\?|!\[CDATA\[|/?[A-Za-z][A-Za-z0-9-]*+(?:[\s/>]|$))")
# A comment, or script or style with its content. A comment or block that is never closed
# is left alone; its scan stops where the next one starts, so a run of openers is read once.
COMMENT = re.compile(r"<!--(?:(?!<!--).)*?-->", re.DOTALL)
SCRIPT_BLOCK = re.compile(r"<(script|style)\b[^<>]*>(?:(?!<\1\b).)*?</\1\s*>",
                          re.IGNORECASE | re.DOTALL)

# A javascript:, vbscript:, data: or file: scheme, however it is spaced out.
UNSAFE_SCHEME = (r"(?:j\s*a\s*v\s*a\s*s\s*c\s*r\s*i\s*p\s*t|v\s*b\s*s\s*c\s*r\s*i\s*p\s*t|d\s*a\s*t\s*a|f\s*i\s*l\s*e)"
                 r"\s*:")
# Where a link's address starts (`](`, `]:`, `<`, `href=`), then such a scheme. `\s*(?:<\s*)?`
# rather than `\s*<?\s*`: the two spellings match the same text, but the second tries every
# split of a run of spaces, which a body of spaces turns into minutes.
_OPENER = r"(?:\]\(|\]:|<|\bhref\s*=(?:\s*[\"'])?)"
UNSAFE_LINK = re.compile(_OPENER + r"\s*(?:<\s*)?" + UNSAFE_SCHEME, re.IGNORECASE)
# The scheme after an opener, or several in a row ("javascript:javascript:"), to remove at once.
_UNSAFE_AFTER_OPENER = re.compile("(" + _OPENER + r")(?:\s*(?:<\s*)?" + UNSAFE_SCHEME + ")+", re.IGNORECASE)
# Link text may hold one level of brackets (`[a [b] c]`); a scan stops at any other `[`.
LINK_TEXT = r"\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]"
_MD_UNSAFE_LINK = re.compile(r"(!?)" + LINK_TEXT + r"\(\s*(?:<\s*)?" + UNSAFE_SCHEME + r"(?:[^()\n]|\([^()\n]*\))*\)?",
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
        while UNSAFE_LINK.search(line):  # removing one may join an opener to another scheme: again
            line, removed = _UNSAFE_AFTER_OPENER.subn(lambda m: m.group(1), line)
            if not removed:
                line = UNSAFE_LINK.sub("", line)
        lines[index] = line
    text = "\n".join(lines)
    return text, text != before


def strip_html(prose: str, escape_rest: bool = True) -> str:
    """Remove HTML from prose (script and style with their content), keeping code spans as written.

    With `escape_rest`, whatever still reads as HTML (`<?`, `<![CDATA[`, a tag cut off by
    the end of a line) has its `<` written as `&lt;`, which Markdown shows as itself."""
    spans: list[str] = []

    def keep(span: str) -> str:
        spans.append(span)
        return f"\x00{len(spans) - 1}\x00"

    prose = "\n".join(replace_code_spans(line, keep) for line in prose.split("\n"))
    prose = SCRIPT_BLOCK.sub("", prose)
    prose = COMMENT.sub("", prose)
    prose = TAG.sub("", prose)
    if escape_rest:
        prose = escape_html(prose)
    return re.sub("\x00([0-9]+)\x00", lambda m: spans[int(m.group(1))], prose)


def tag_goes_on(lines: list[tuple[int, str]], index: int) -> bool:
    """Whether a tag cut off by the end of prose line `index` (`<img src="…"`) is closed by a
    `>` further on in its paragraph, before any `<`: Markdown then reads it, across the
    lines, as one HTML tag. A blank line, a gap (code) or a new block ends the paragraph."""
    number = lines[index][0]
    for next_number, text in lines[index + 1:]:
        if next_number != number + 1 or not text.strip() or text.lstrip().startswith(">"):
            return False
        number = next_number
        opening, closing = text.find("<"), text.find(">")
        if closing >= 0 and (opening < 0 or closing < opening):
            return True
        if opening >= 0:
            return False
    return False


def escape_html(text: str) -> str:
    """Text in which nothing reads as HTML: each `<` that could start it written `&lt;`,
    which Markdown shows as `<`. (Code spans are the caller's to keep apart.)"""
    return _HTML_START.sub("&lt;", text) if "<" in text else text


def code_spans(line: str) -> list[tuple[int, int]]:
    """(start, end) of each inline code span in a line, by CommonMark's rule: a run of
    backticks opens a span that the next run of exactly as many closes; a run that
    nothing closes is text. One pass over the runs, however many there are."""
    runs = [match.span() for match in _BACKTICKS.finditer(line)] if "`" in line else []
    closer: list[int | None] = [None] * len(runs)
    later: dict[int, int] = {}  # a run's length: the index of the nearest later run that long
    for index in range(len(runs) - 1, -1, -1):
        length = runs[index][1] - runs[index][0]
        closer[index] = later.get(length)
        later[length] = index
    spans = []
    index = 0
    while index < len(runs):
        match = closer[index]
        if match is None:
            index += 1
        else:
            spans.append((runs[index][0], runs[match][1]))
            index = match + 1
    return spans


def replace_code_spans(line: str, replace) -> str:
    """The line with each code span (backticks included) replaced by `replace(span)`."""
    spans = code_spans(line)
    if not spans:
        return line
    parts, end = [], 0
    for start, stop in spans:
        parts += [line[end:start], replace(line[start:stop])]
        end = stop
    parts.append(line[end:])
    return "".join(parts)


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


def fenced_segments(lines: list[str]):
    """(is_code, lines) runs of Markdown: fenced code blocks kept apart from everything else.

    The one place that knows how fences open and close; the validator, the
    importers and the issue converter all walk bodies with it."""
    current: list[str] = []
    fence = None
    for line in lines:
        match = FENCE.match(line)
        if fence:
            current.append(line)
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                yield True, current
                current, fence = [], None
            continue
        if match:
            if current:
                yield False, current
            current, fence = [line], match.group(1)
            continue
        current.append(line)
    if current:
        yield bool(fence), current
