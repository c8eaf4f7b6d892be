"""Starting a hub: `casehub init` writes a new, ready library into an empty folder.

As `pelican-quickstart` and `mkdocs new` do, it takes a few answers (`HubAnswers`:
the hub's name, the organisation that runs it, its GitHub repository, its site
address, its topics and facilitators) and writes everything a library needs:
settings (pelicanconf.py, publishconf.py), the vocabularies in data/ with the
chosen topics, the theme, the site's pages, the scenario examples, the Makefile,
requirements pinning Casehub, the GitHub workflows and issue form, CODEOWNERS,
an empty casestudies/ and a README saying how to set up GitHub.

What it copies comes from Casehub's own source folder (`SOURCE`, the checkout this
package runs from), so a new hub starts from exactly what Casehub itself builds
and tests. It never overwrites: if any file it would write exists, it writes
nothing. The answers are checked here (`problem`), whether they came from
questions or options.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, StrictUndefined

from ..core.findings import CasehubError
from ..core.project import Project, Vocabulary
from ..core.safetext import markdown_text
from .codeowners import owner, write_codeowners

SOURCE = Path(__file__).resolve().parents[3]  # plugins/casehub/curate/ -> the Casehub checkout
STARTER = Path(__file__).with_name("starter")
CASEHUB_REPOSITORY = "https://github.com/casehub-uk/casehub"

# Copied as they are (folders whole); topics, collections, the About page and the settings are then written
# for the hub.
COPIED = ("theme", "data", "content", "examples", "hubs.yaml", "LICENSE", "CONTRIBUTING.md",
          "scripts/post_reminders.py", ".github/pull_request_template.md", ".github/ISSUE_TEMPLATE")
# The workflows a hub runs (Casehub's own CI, which tests Casehub's code, is not one).
WORKFLOWS = ("validate.yml", "deploy.yml", "issue-to-pr.yml", "review-reminders.yml", "review-board.yml",
             "sync.yml")
ISSUE_FORM = ".github/ISSUE_TEMPLATE/share-a-case-study.yml"
# Casehub's name where it means "this library", in the pages and guide a hub copies.
RENAMED = ("Casehub grows", "to Casehub.", "Everything in Casehub is open", "Contributing to Casehub")

_REPOSITORY = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}")
_SETTING = re.compile(r"^(SITENAME|SITESUBTITLE|AUTHOR|CASEHUB_REPO_URL) = .*$", re.MULTILINE)
_SITEURL = re.compile(r'^SITEURL = os\.environ\.get\("CASEHUB_SITEURL", ""\)$', re.MULTILINE)


class QuickstartError(CasehubError):
    """The hub cannot be written: a bad answer, files in the way, or no Casehub source to copy."""


@dataclass
class HubAnswers:
    name: str
    organisation: str
    repository: str          # owner/name on GitHub
    url: str                 # the site's address, https://…
    topics: list[str]        # ids from Casehub's data/topics.yaml
    facilitators: list[str]  # GitHub users or organisation/team

    @property
    def owner(self) -> str:
        return self.repository.split("/")[0]


def starter_topics(source: Path = SOURCE) -> Vocabulary:
    """The topics a new hub can choose from: Casehub's own."""
    return Project(source).vocabularies["topics"]


def default_repository(name: str, organisation: str) -> str:
    slug = lambda text: "-".join(re.findall(r"[a-z0-9]+", text.lower()))[:39].strip("-")  # noqa: E731
    return f"{slug(organisation) or 'my-organisation'}/{slug(name) or 'practice-hub'}"


def default_url(repository: str) -> str:
    account, name = repository.split("/", 1)
    return f"https://{account.lower()}.github.io/{name}/"


def problem(field: str, value) -> str | None:
    """What is wrong with one answer, said as GOV.UK would, or None."""
    if field in ("name", "organisation"):
        text = " ".join(str(value).split())
        what = "the hub's name" if field == "name" else "the organisation's name"
        if len(text) < 2:
            return f"Enter {what}"
        if len(text) > 80 or re.search(r"[<>{}\"\\`$]", text):
            return f"Enter {what} in 80 characters or fewer, without <, >, {{, }}, quotes, backslashes or $"
    elif field == "repository":
        if not _REPOSITORY.fullmatch(str(value)) or str(value).endswith((".", ".git")):
            return "Enter the GitHub repository as owner/name, for example leeds-council/practice-hub"
    elif field == "url":
        parts = urlsplit(str(value))
        if parts.scheme != "https" or not parts.hostname or "." not in parts.hostname \
                or parts.query or parts.fragment or re.search(r"[\s\"'<>\\]", str(value)):
            return "Enter a web address starting with https://, for example https://practice.example.gov.uk/"
    elif field == "facilitators":
        if not value:
            return "Enter at least one facilitator's GitHub username"
        for name in value:
            try:
                owner(name)
            except ValueError:
                return (f"'{name}' is not a GitHub username or organisation/team: write jo-bloggs or "
                        "leeds-council/housing")
    elif field == "topics" and not value:
        return "Choose at least one topic"
    return None


def check(answers: HubAnswers, topics: Vocabulary) -> None:
    for field in ("name", "organisation", "repository", "url", "topics", "facilitators"):
        found = problem(field, getattr(answers, field))
        if found:
            raise QuickstartError(f"{field}: {found}")
    unknown = [t for t in answers.topics if t not in topics.by_id]
    if unknown:
        raise QuickstartError(f"topics: {', '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} not "
                              "Casehub topics; add your own to data/topics.yaml afterwards")


def _casehub_ref(source: Path) -> str:
    """The commit the new hub pins Casehub to: the source checkout's, else this version's tag."""
    try:
        result = subprocess.run(["git", "-C", str(source), "rev-parse", "HEAD"], capture_output=True, text=True,
                                timeout=10, check=True)
        return result.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        from importlib.metadata import version
        return f"v{version('casehub')}"


def _topics_file(text: str, chosen: list[str], facilitators: list[str]) -> str:
    """data/topics.yaml with only the chosen topics (its comments kept), each with the hub's facilitators."""
    head, *items = re.split(r"(?m)^(?=- id: )", text)
    kept = []
    for item in items:
        if item.split("\n", 1)[0].removeprefix("- id: ").strip() in chosen:
            names = ", ".join(f"'{name}'" if "/" in name else name for name in facilitators)
            kept.append(re.sub(r"(?m)^  facilitators: .*$", f"  facilitators: [{names}]", item))
    return head + "".join(kept)


def _issue_form(text: str, chosen: list[str]) -> str:
    """The issue form with the topics dropdown offering the chosen topics only."""
    lines, out, in_topics, in_options = text.split("\n"), [], False, False
    for line in lines:
        if line.strip() == "id: topics":
            in_topics = True
        elif in_topics and line.strip() == "options:":
            in_options = True
            out.append(line)
            out += [f"{line[:len(line) - len(line.lstrip())]}  - {topic}" for topic in chosen]
            continue
        elif in_options and line.lstrip().startswith("- "):
            continue
        elif in_options:
            in_topics = in_options = False
        out.append(line)
    return "\n".join(out)


def _settings(text: str, answers: HubAnswers) -> str:
    values = {"SITENAME": answers.name, "SITESUBTITLE": f"Good practice shared by {answers.organisation}",
              "AUTHOR": answers.organisation, "CASEHUB_REPO_URL": f"https://github.com/{answers.repository}"}
    return _SETTING.sub(lambda m: f"{m.group(1)} = {values[m.group(1)]!r}", text)


def plan(answers: HubAnswers, source: Path = SOURCE) -> dict[str, bytes]:
    """Every file the new hub gets, by its path in the hub, and its bytes."""
    if not (source / "theme" / "templates").is_dir() or not (source / "pelicanconf.py").is_file():
        raise QuickstartError(f"casehub init copies Casehub's theme, pages and workflows from its source folder, "
                              f"and {source} does not have them: install Casehub from a checkout of "
                              f"{CASEHUB_REPOSITORY} (pip install -e .)")
    files: dict[str, bytes] = {}
    for part in COPIED:
        path = source / part
        for file in sorted(path.rglob("*")) if path.is_dir() else [path]:
            if file.is_file() and "__pycache__" not in file.parts:
                files[file.relative_to(source).as_posix()] = file.read_bytes()
    for name in WORKFLOWS:
        files[f".github/workflows/{name}"] = (source / ".github" / "workflows" / name).read_bytes()
    for name in ("content/pages/contribute.md", "content/pages/open-data.md", "CONTRIBUTING.md"):
        text = files[name].decode("utf-8")
        for phrase in RENAMED:
            text = text.replace(phrase, phrase.replace("Casehub", answers.name))
        files[name] = text.encode("utf-8")
    files[".github/ISSUE_TEMPLATE/config.yml"] = files[".github/ISSUE_TEMPLATE/config.yml"].replace(
        b"https://github.com/casehub-uk/casehub/", f"https://github.com/{answers.repository}/".encode())
    read = lambda name: (source / name).read_text(encoding="utf-8")  # noqa: E731
    files[ISSUE_FORM] = _issue_form(read(ISSUE_FORM), answers.topics).encode("utf-8")
    files["data/topics.yaml"] = _topics_file(read("data/topics.yaml"), answers.topics,
                                             answers.facilitators).encode("utf-8")
    files["data/collections.yaml"] = (b"# Collections: titled, ordered reading lists of entries, each published\n"
                                      b"# at /collections/<id>/. Casehub's data/collections.yaml shows the fields.\n"
                                      b"[]\n")
    files["pelicanconf.py"] = _settings(read("pelicanconf.py"), answers).encode("utf-8")
    siteurl = f'SITEURL = os.environ.get("CASEHUB_SITEURL", {answers.url.rstrip("/")!r})'
    files["publishconf.py"] = _SITEURL.sub(siteurl, read("publishconf.py")).encode("utf-8")
    files["requirements.lock"] = (source / "requirements.lock").read_bytes()
    files["casestudies/.gitkeep"] = b""
    files.update(_from_templates(answers, source))
    return files


def _from_templates(answers: HubAnswers, source: Path) -> dict[str, bytes]:
    environment = Environment(autoescape=False, undefined=StrictUndefined, keep_trailing_newline=True,
                              trim_blocks=True, lstrip_blocks=True)
    host = urlsplit(answers.url).hostname or ""
    values = {"name": markdown_text(answers.name), "organisation": markdown_text(answers.organisation),
              "name_for_shell": re.sub(r"[^\w .,'-]", "", answers.name), "repository": answers.repository,
              "owner": answers.owner, "url": answers.url, "casehub_repository": CASEHUB_REPOSITORY,
              "casehub_ref": _casehub_ref(source),
              "custom_domain": "" if host.endswith(".github.io") else host}
    targets = {"Makefile": "Makefile", "gitignore": ".gitignore", "requirements.txt": "requirements.txt",
               "README.md": "README.md", "about.md": "content/pages/about.md"}
    return {target: environment.from_string((STARTER / name).read_text(encoding="utf-8")).render(values)
            .encode("utf-8") for name, target in targets.items()}


def start_hub(folder: Path, answers: HubAnswers, source: Path = SOURCE) -> list[str]:
    """Write a new library into `folder` (made if missing); returns the paths written, relative to it.

    Refuses, writing nothing, if an answer is wrong or any file it would write is already there."""
    topics = starter_topics(source)
    check(answers, topics)
    answers.topics = [t for t in topics.ids if t in answers.topics]  # the vocabulary's order, as in data/
    files = plan(answers, source)
    folder = Path(folder)
    in_the_way = sorted(name for name in files if (folder / name).exists() or (folder / name).is_symlink())
    if in_the_way:
        shown = ", ".join(in_the_way[:5]) + (f" and {len(in_the_way) - 5} more" if len(in_the_way) > 5 else "")
        raise QuickstartError(f"{folder} already has {shown}: casehub init never overwrites a file. "
                              "Start the hub in an empty folder")
    try:
        for name, data in files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    except OSError:
        for name in files:  # leave nothing half-written
            (folder / name).unlink(missing_ok=True)
        raise
    maintained_by = [owner(name) for name in answers.facilitators]
    write_codeowners(Project(folder), maintained_by)
    return sorted([*files, ".github/CODEOWNERS"])
