"""Synthetic entries for benchmarks and scale tests: deterministic, valid, and
shaped like the real ones (front matter with every common field, a body in the
sections each type needs). Not used by the site.

Body lengths follow the sample entries' (casestudies/ and examples/): each entry
draws one sample entry of its type and varies its length by a log-normal factor
(a smoothed bootstrap), so the library has the samples' mix of short and long
entries and a tail longer than the longest sample, as a real library would.

The words are drawn like real text's, so search is measured fairly: common
English words, words every council entry uses, words of the entry's own
topics, and a long tail of rarer words (made up, by Zipf's law: the n-th
commonest is used about 1/n as often as the commonest). A few dozen words
spread evenly over every entry would put every query word on most pages."""

from __future__ import annotations

import functools
import itertools
import random
from datetime import date, timedelta
from pathlib import Path

from ..core.entryfile import dump
from ..core.project import Project

WORDS = ("council residents service team digital data housing care community partners budget pilot "
         "users research evidence outcome review funding local authority officers volunteers library "
         "climate transport skills health wellbeing school families carers support training design "
         "website platform procurement contract savings hours visits reduction increase trial evaluation").split()
COMMON = "the of and to in a for with we our was is on by as this that from it at were more".split()
SYLLABLES = ("ba be bi bo ca co da de di do fa fe ga go ha he in ka ko la le li lo ma me mi mo na ne no "
             "pa pe po ra re ri ro sa se si so ta te ti to va ve vi wa we ya").split()
RARE_WORDS = 20_000
# Words in the body (headings included, as `len(body.split())` counts them) of each sample
# entry in casestudies/ and examples/, by type. tests/test_synthetic.py checks that the
# synthetic library still follows the samples' lengths.
SAMPLE_BODY_WORDS = {
    "case-study": (675, 670, 599, 712, 640, 644, 664, 590, 292, 362),
    "story": (548, 555, 562, 558, 583, 174, 186, 209),
    "how-to": (613, 656, 619, 229),
    "what-didnt-work": (547, 544, 681, 205),
}
LENGTH_SPREAD = 0.2  # sigma of the log-normal factor: about one entry in twenty is 1.4 times its sample
MIN_BODY_WORDS = 100
ORG_KINDS = ("Borough Council", "City Council", "County Council", "District Council", "Combined Authority")
PLACES = ("Ashford", "Barnet", "Calder", "Dunmore", "Eastwick", "Fairhaven", "Glenmoor", "Hartley",
          "Ingleby", "Kingsmere", "Lowther", "Marston", "Northam", "Oakridge", "Penrith", "Redbridge")


@functools.cache
def _rare_words() -> tuple[list[str], list[float]]:
    """Made-up words of three or four syllables, and their cumulative Zipf weights."""
    words = [a + b + c + d for a, b, c, d in itertools.product(SYLLABLES, SYLLABLES, SYLLABLES, ("", "n", "s", "r"))]
    words = random.Random(7).sample(words, RARE_WORDS)
    return words, list(itertools.accumulate(1 / rank for rank in range(1, RARE_WORDS + 1)))


@functools.cache
def _topic_words(topic: str) -> list[str]:
    """The words of a topic's name, and made-up words only entries on that topic use."""
    named = [w for w in topic.split("-") if w not in ("and", "of")]
    return named * 3 + random.Random(topic).sample(_rare_words()[0], 12)


def _word(rng: random.Random, topics: list[str]) -> str:
    draw = rng.random()
    if draw < 0.35:
        return rng.choice(COMMON)
    if draw < 0.6:
        return rng.choice(WORDS)
    if draw < 0.75:
        return rng.choice(_topic_words(rng.choice(topics)))
    words, weights = _rare_words()
    return rng.choices(words, cum_weights=weights)[0]


def _sentence(rng: random.Random, n: int, topics: list[str] = ()) -> str:
    words = [_word(rng, topics) if topics else rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def body_words(rng: random.Random, entry_type: str) -> int:
    """How many words an entry of this type has: a sample entry's length, varied."""
    samples = SAMPLE_BODY_WORDS.get(entry_type) or [n for ns in SAMPLE_BODY_WORDS.values() for n in ns]
    return max(MIN_BODY_WORDS, round(rng.choice(samples) * rng.lognormvariate(0, LENGTH_SPREAD)))


def _body(rng: random.Random, sections: list[str], topics: list[str], words: int) -> str:
    """Sections of paragraphs of about `words` words in all (to within a sentence a section)."""
    parts = []
    left = words
    for number, section in enumerate(sections):
        budget = left // (len(sections) - number)
        paragraphs, written = [], len(section.split()) + 1
        while written < budget or not paragraphs:
            sentences = []
            for _ in range(rng.randint(3, 5)):
                sentences.append(_sentence(rng, rng.randint(8, 16), topics))
                written += len(sentences[-1].split())
                if written >= budget:
                    break
            paragraphs.append(" ".join(sentences))
        left -= written
        parts.append(f"## {section}\n\n" + "\n\n".join(paragraphs))
    return "\n\n".join(parts)


def entry_text(index: int, project: Project, seed: int = 1) -> str:
    """The text of synthetic entry number `index`; the same every time for the same seed."""
    rng = random.Random(seed * 1_000_003 + index)
    vocab = project.vocabularies
    entry_type = rng.choice(vocab["types"].ids)
    region = rng.choice([r for r in vocab["regions"].items])
    topics = rng.sample(vocab["topics"].ids, rng.randint(1, 3))
    place = f"{rng.choice(PLACES)} {rng.choice(ORG_KINDS)}"
    published = date(2015, 1, 1) + timedelta(days=rng.randrange(3900))
    reviewed = published + timedelta(days=rng.randrange(400))
    sections = vocab["types"].by_id[entry_type].get("sections") or ["What happened", "What we learned"]
    body = _body(rng, sections, topics, body_words(rng, entry_type))
    outcomes = [{"measure": _sentence(rng, 4)[:-1], "value": rng.randint(1, 5000), "unit": "people",
                 "baseline": rng.randint(0, 4000), "evidence": rng.choice(["self-reported", "internal-evaluation"])}
                for _ in range(rng.randint(0, 3))]
    title = f"{_sentence(rng, rng.randint(3, 6))[:-1]} in {place} {index}"
    summary = f"{_sentence(rng, 18, topics)} {_sentence(rng, 12, topics)}"
    partner = f"{rng.choice(PLACES)} Community Trust"
    council_type = rng.choice(vocab["council-types"].ids)
    tags = [rng.choice(WORDS), f"{rng.choice(WORDS)}-{index % 50}"]
    stage = rng.choice(vocab["stages"].ids)
    fields = {
        "title": title, "summary": summary, "type": entry_type, "status": "published",
        "featured": index % 97 == 0,
        "organisations": [{"name": place, "role": "lead"}, {"name": partner, "role": "partner"}],
        "geography": {"nation": region.get("nation") or "england", "region": region["id"],
                      "council_type": council_type},
        "topics": topics, "tags": list(dict.fromkeys(tags)), "stage": stage, "published": published,
        "last_reviewed": reviewed, "review_by": reviewed + timedelta(days=548),
        "budget_band": rng.choice(["under-10k", "10k-50k", "50k-250k", "unknown"]), "outcomes": outcomes,
        "contact": {"team": "Improvement team", "url": "https://www.example.gov.uk/contact"},
    }
    return dump(fields, body)


def write_library(project: Project, target: Path, count: int, seed: int = 1) -> list[Path]:
    """Write `count` synthetic entries into `target`; returns their paths."""
    target.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        path = target / f"synthetic-entry-{index:05d}.md"
        path.write_text(entry_text(index, project, seed), encoding="utf-8")
        paths.append(path)
    return paths


SITE_PARTS = ("content", "data", "theme", "pelicanconf.py", "publishconf.py")


def write_site(source: Path, target: Path, count: int, seed: int = 1) -> Path:
    """A whole project at `target`: the site at `source` (its pages, vocabularies, theme and
    settings) with `count` synthetic entries in place of its library. Returns `target`."""
    import shutil

    for part in SITE_PARTS:
        (shutil.copytree if (source / part).is_dir() else shutil.copy)(source / part, target / part)
    (target / "data" / "collections.yaml").unlink(missing_ok=True)  # it names the source's own entries
    write_library(Project(target), target / "casestudies", count, seed)
    return target
