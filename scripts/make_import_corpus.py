"""Writes a corpus of Markdown files in the shapes of other static sites, to measure `casehub import markdown`.

    python scripts/make_import_corpus.py [N] OUT_DIR      (N defaults to 1000)

The files look like a council's Hugo site (content/case-studies/, YAML or TOML
front matter, page bundles with images) and a Jekyll blog (_posts/ with dates in
the file names, categories, Liquid tags). The mix is realistic rather than tidy:
some files use Casehub's own field names and import cleanly, most lack fields a
person must add, and some are messy (raw HTML with scripts, javascript: links,
shortcodes, no front matter, a phone number, an SVG, a refused YAML tag, a
repeated title). The same N always gives the same files, byte for byte.
"""

from __future__ import annotations

import argparse
import random
import struct
import zlib
from pathlib import Path

COUNCILS = ["Example Borough Council", "Example County Council", "Example District Council", "Example City Council",
            "Example Town Council", "Example Metropolitan Borough Council", "Example Combined Authority"]
REGIONS = ["North East", "north-west", "Yorkshire and the Humber", "East Midlands", "west-midlands",
           "East of England", "London", "South East", "south-west", "Scotland", "Wales", "Northern Ireland"]
COUNCIL_TYPES = ["County council", "district", "Unitary authority", "metropolitan-borough", "London borough",
                 "combined-authority"]
TOPICS = ["Digital and technology", "housing-and-homelessness", "Climate & environment", "Health and wellbeing",
          "communities-and-engagement", "Economy and skills", "Transport and highways", "adult-social-care",
          "Children and young people", "workforce-and-organisation"]
FREE_TAGS = ["user research", "Open Data", "co-production", "volunteering", "net zero", "AI", "libraries",
             "customer service", "procurement", "apprenticeships", "community energy", "active travel"]
STAGES = ["Live", "pilot", "scaled", "Discovery", "stopped"]
SUBJECTS = ["repairs line", "warm spaces map", "bike library", "food waste collections", "parking permits",
            "library app", "school streets", "community fridges", "planning portal", "data charter",
            "digital skills drop-ins", "grants portal", "tree planting", "youth hub", "care finder",
            "housing register", "cyber security team", "pop-up shop", "repair café", "chatbot"]
VERBS = ["redesigns its", "launches a", "tests a", "scales up its", "learns from its", "rebuilds its",
         "co-designs a", "opens a"]
SENTENCES = [
    "Residents told us the old service was slow and hard to follow.",
    "We started with six weeks of user research in libraries and community centres.",
    "Staff and residents tested each version together before it went live.",
    "Calls to the contact centre fell by a quarter in the first six months (example figures).",
    "The hardest part was getting data out of the old system.",
    "Two neighbouring councils have since adopted the same approach.",
    "We kept a phone route for everyone who needed one.",
    "Volunteers checked the information every week so it stayed accurate.",
    "The pilot ran in two wards before it was rolled out across the area.",
    "Funding came from the council's own budget and a small national grant.",
]
SECTIONS = ["Context", "The challenge", "What we did", "Results and impact", "Challenges and failures",
            "Lessons learned"]


def png(seed: int) -> bytes:
    """A tiny valid PNG, its colour from the seed."""
    rgb = bytes(((seed * 37) % 256, (seed * 91) % 256, (seed * 53) % 256))
    raw = b"".join(b"\x00" + rgb * 4 for _ in range(3))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 3, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def paragraph(rng: random.Random, count: int) -> str:
    return " ".join(rng.sample(SENTENCES, count))


def body_text(rng: random.Random, case_study: bool, messy: bool, images: list[str]) -> str:
    parts = []
    if case_study:
        for section in SECTIONS:
            parts.append(f"## {section}\n\n{paragraph(rng, rng.randint(1, 3))}")
    else:
        parts.append(paragraph(rng, 3))
        if rng.random() < 0.5:
            parts.append(f"## What we learned\n\n- {rng.choice(SENTENCES)}\n- {rng.choice(SENTENCES)}")
    for index, image in enumerate(images):
        alt = "" if rng.random() < 0.15 else f"Photo {index + 1} of the project"
        parts.insert(1, f"![{alt}]({image})")
    if messy:
        extras = [
            "<div class=\"callout\"><p>We worked with <strong>tenants</strong> from the start.</p></div>",
            "<script>window.dataLayer = window.dataLayer || []; gtag('config', 'UA-1');</script>",
            "[Read the report](javascript:openReport()) or <a href=\"https://www.example.gov.uk/report\" "
            "onclick=\"track()\">download it</a>.",
            "{{< youtube dQw4w9WgXcQ >}}",
            "{% include newsletter.html %}",
            "<iframe src=\"https://tracker.example/frame\" width=\"1\" height=\"1\"></iframe>",
            "Call the project lead on 020 7946 0123 for details.",
            "<img src=\"https://tracker.example/pixel.gif\" width=\"1\" height=\"1\">",
            "<table><tr><th>Year</th><th>Visits</th></tr><tr><td>2022</td><td>1,200</td></tr></table>",
        ]
        for extra in rng.sample(extras, rng.randint(1, 3)):
            parts.insert(rng.randint(0, len(parts)), extra)
    return "\n\n".join(parts) + "\n"


def yaml_text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_corpus(count: int, out: Path) -> None:
    rng = random.Random(20261122)
    out.mkdir(parents=True, exist_ok=True)
    titles: list[str] = []
    for number in range(count):
        council = rng.choice(COUNCILS)
        if titles and rng.random() < 0.03:
            title = rng.choice(titles)  # the same story published twice
        else:
            title = f"{council.replace(' Council', '')} {rng.choice(VERBS)} {rng.choice(SUBJECTS)} ({number})"
        titles.append(title)
        kind = rng.random()
        messy = rng.random() < 0.2
        case_study = rng.random() < 0.35
        day = f"20{rng.randint(15, 25):02d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        topics = rng.sample(TOPICS, rng.randint(1, 3)) + rng.sample(FREE_TAGS, rng.randint(0, 3))
        own_fields = rng.random() < 0.55  # the site already records organisation, place, stage and contact
        slug = f"case-{number:05d}"
        if kind < 0.5:  # Hugo, YAML front matter; a third are page bundles with images
            bundle = rng.random() < 0.3
            folder = out / "hugo" / "content" / "case-studies" / (slug if bundle else "")
            folder.mkdir(parents=True, exist_ok=True)
            images = []
            if bundle:
                for index in range(rng.randint(1, 2)):
                    name = f"photo-{index + 1}.png"
                    (folder / name).write_bytes(png(number * 3 + index))
                    images.append(name)
                if rng.random() < 0.15:
                    (folder / "diagram.svg").write_text("<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n")
                    images.append("diagram.svg")
            lines = ["---", f"title: {yaml_text(title)}", f"date: {day}"]
            if rng.random() < 0.8:
                lines.append(f"description: {yaml_text(paragraph(rng, 2))}")
            lines.append("tags: [" + ", ".join(yaml_text(t) for t in topics) + "]")
            if case_study:
                lines.append("type: case-study")
            if own_fields:
                lines += [f"organisation: {yaml_text(council)}", f"region: {yaml_text(rng.choice(REGIONS))}",
                          f"council_type: {yaml_text(rng.choice(COUNCIL_TYPES))}",
                          f"stage: {rng.choice(STAGES)}", "contact_team: Digital team",
                          "contact_email: digital@example.gov.uk"]
            if rng.random() < 0.05:
                lines.append("draft: true")
            if rng.random() < 0.01:
                lines.append("image: !!python/object/apply:os.system [\"echo unsafe\"]")
            lines += ["weight: 10", "---"]
            text = "\n".join(lines) + "\n" + body_text(rng, case_study, messy, images)
            (folder / ("index.md" if bundle else f"{slug}.md")).write_text(text, encoding="utf-8")
        elif kind < 0.7:  # Hugo, TOML front matter
            folder = out / "hugo" / "content" / "stories"
            folder.mkdir(parents=True, exist_ok=True)
            lines = ["+++", f"title = {yaml_text(title)}", f"date = {day}T09:30:00Z",
                     f"summary = {yaml_text(paragraph(rng, 2))}",
                     "categories = [" + ", ".join(yaml_text(t) for t in topics) + "]"]
            if own_fields:
                lines += [f"organisation = {yaml_text(council)}", f"region = {yaml_text(rng.choice(REGIONS))}",
                          f"stage = {yaml_text(rng.choice(STAGES))}", "contact_team = \"Communities team\"",
                          "contact_url = \"https://www.example.gov.uk/contact\""]
            lines.append("+++")
            text = "\n".join(lines) + "\n" + body_text(rng, False, messy, [])
            (folder / f"{slug}.md").write_text(text, encoding="utf-8")
        elif kind < 0.95:  # Jekyll post: date in the file name, a timestamp in the front matter
            folder = out / "jekyll" / "_posts"
            folder.mkdir(parents=True, exist_ok=True)
            assets = out / "jekyll" / "assets" / "images"
            images = []
            if rng.random() < 0.2:
                assets.mkdir(parents=True, exist_ok=True)
                (assets / f"{slug}.png").write_bytes(png(number))
                images.append(f"{{{{ site.baseurl }}}}/assets/images/{slug}.png")
            lines = ["---", "layout: post", f"title: {yaml_text(title)}",
                     f"date: {day} {rng.randint(8, 18):02d}:00:00 +0000",
                     "categories: [" + ", ".join(yaml_text(t) for t in topics[:2]) + "]",
                     "tags: [" + ", ".join(yaml_text(t) for t in topics[2:]) + "]",
                     f"author: {yaml_text(council.replace('Council', 'digital team'))}"]
            if rng.random() < 0.7:
                lines.append(f"excerpt: {yaml_text(paragraph(rng, 2))}")
            if own_fields:
                lines += [f"organisation: {yaml_text(council)}", f"region: {yaml_text(rng.choice(REGIONS))}",
                          f"stage: {rng.choice(STAGES)}", "contact_team: Web team",
                          "contact_email: web@example.gov.uk"]
            if rng.random() < 0.05:
                lines.append("published: false")
            lines.append("---")
            heading = f"# {title}\n\n" if rng.random() < 0.4 else ""
            text = "\n".join(lines) + "\n" + heading + body_text(rng, case_study, messy, images)
            (folder / f"{day}-{slug}.md").write_text(text, encoding="utf-8")
        else:  # an old export: no front matter, HTML in the Markdown
            folder = out / "legacy"
            folder.mkdir(parents=True, exist_ok=True)
            text = (f"<h1>{title}</h1>\n\n<p>{paragraph(rng, 2)}</p>\n\n"
                    + body_text(rng, False, True, []))
            (folder / f"{slug}.md").write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", nargs="?", type=int, default=1000, metavar="N", help="how many files (1000)")
    parser.add_argument("out", type=Path, metavar="OUT_DIR", help="where to write them")
    args = parser.parse_args(argv)
    write_corpus(args.count, args.out)
    print(f"Wrote {args.count} Markdown files to {args.out}")


if __name__ == "__main__":
    main()
