"""The site a Markdown folder came from: its generator, its address, and each page's old address.

Jekyll, Hugo and Eleventy each give a page its address from the file's place
and its front matter, by rules of their own. `OldSite.find(source, base_url)`
looks at and above the imported folder for the generator's configuration
(`hugo.toml`/`config.toml`… beside a `content/` folder; Jekyll's `_config.yml`;
Eleventy's `eleventy.config.js` or `.eleventy.js`) and reads from it what those
rules need: the site's address (Hugo's `baseURL`, Jekyll's `url` and `baseurl`;
`--base-url` wins), the folder pages' paths start from, and permalink patterns.
`addresses(path, meta)` gives a page's old paths: its own first (front matter
`url`/`permalink`/`slug`, or the generator's rule), then the others it answered
at (Hugo's `aliases`, jekyll-redirect-from's `redirect_from`). Paths are as on
the old host, the site's base path included ("/blog/2021/03/03/repairs.html").

Nothing here reads a page's body or decides what an address now points to
(links.py does).
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from urllib.parse import quote, urlsplit

import yaml

from ...core.entry import slugify

MAX_LEVELS_UP = 4  # how far above the imported folder a site's configuration is looked for
MAX_CONFIG_BYTES = 1_000_000
HUGO_CONFIGS = ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml", "config.yaml", "config.yml",
                "config.json", "config/_default/hugo.toml", "config/_default/config.toml",
                "config/_default/hugo.yaml", "config/_default/config.yaml")
JEKYLL_CONFIGS = ("_config.yml", "_config.yaml")
ELEVENTY_CONFIGS = ("eleventy.config.js", "eleventy.config.mjs", "eleventy.config.cjs", ".eleventy.js")
# Jekyll's named permalink styles (https://jekyllrb.com/docs/permalinks/#built-in-formats).
JEKYLL_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
_JEKYLL_POST = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(.+)$")
_PLACEHOLDER = re.compile(r":([a-z_]+)")
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~"  # what quote leaves alone in an address: only spaces and the like are encoded
_LOCAL_HOSTS = ("localhost", "127.0.0.1", "0.0.0.0", "[::1]")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def web_address(url: str) -> str:
    """The address as a site's base: http(s), with a host that is not this machine, ending in '/'; or ''."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or parts.hostname in _LOCAL_HOSTS:
        return ""
    return url if url.endswith("/") else url + "/"


@dataclass
class OldSite:
    kind: str = ""  # "hugo", "jekyll", "eleventy", or "" for a folder with no generator's configuration
    root: Path | None = None  # the site's folder (where its configuration is)
    content: Path | None = None  # where pages' paths start: Hugo's content folder, else the site's folder
    base_url: str = ""  # "https://www.example.gov.uk/blog/", or "" when unknown
    config: str = ""  # the configuration file read, relative to the site's folder
    permalinks: dict[str, str] = field(default_factory=dict)  # Hugo: section -> pattern; Jekyll: "posts" -> pattern
    lower_case: bool = True  # Hugo lower-cases paths unless disablePathToLower
    ugly_urls: bool = False  # Hugo's uglyURLs: /posts/x.html rather than /posts/x/
    collections: frozenset[str] = frozenset()  # Jekyll collections that have pages of their own

    @classmethod
    def find(cls, source: Path, base_url: str = "") -> OldSite:
        """The site around `source` (a folder or a file), read from its generator's configuration."""
        folder = source if source.is_dir() else source.parent
        folder = folder.resolve()
        for candidate in [folder, *folder.parents][:MAX_LEVELS_UP + 1]:
            site = cls._read(candidate)
            if site:
                break
        else:
            site = cls(root=folder, content=folder)
        given = web_address(base_url)
        if given:
            site.base_url = given
        return site

    @classmethod
    def _read(cls, folder: Path) -> OldSite | None:
        for name in JEKYLL_CONFIGS:
            if (folder / name).is_file():
                return cls._jekyll(folder, name, _load(folder / name))
        for name in HUGO_CONFIGS:
            if (folder / name).is_file():
                config = {str(k).lower(): v for k, v in _load(folder / name).items()}
                content = folder / str(config.get("contentdir") or "content")
                if content.is_dir():
                    return cls._hugo(folder, name, config, content)
        for name in ELEVENTY_CONFIGS:
            if (folder / name).is_file():
                return cls(kind="eleventy", root=folder, content=folder, config=name)
        return None

    @classmethod
    def _hugo(cls, folder: Path, name: str, config: dict, content: Path) -> OldSite:
        permalinks = config.get("permalinks") if isinstance(config.get("permalinks"), dict) else {}
        if isinstance(permalinks.get("page"), dict):  # Hugo 0.120+: permalinks.page.<section>
            permalinks = permalinks["page"]
        return cls(kind="hugo", root=folder, content=content, base_url=web_address(str(config.get("baseurl") or "")),
                   config=name, permalinks={str(k).strip("/"): str(v) for k, v in permalinks.items()
                                            if isinstance(v, str)},
                   lower_case=not config.get("disablepathtolower"), ugly_urls=bool(config.get("uglyurls")))

    @classmethod
    def _jekyll(cls, folder: Path, name: str, config: dict) -> OldSite:
        url = str(config.get("url") or "").rstrip("/")
        base = str(config.get("baseurl") or "").strip("/")
        permalink = str(config.get("permalink") or "date")
        collections = config.get("collections")
        outputs = frozenset(str(k) for k, v in collections.items() if isinstance(v, dict) and v.get("output")) \
            if isinstance(collections, dict) else frozenset()
        return cls(kind="jekyll", root=folder, content=folder,
                   base_url=web_address(f"{url}/{base}" if url and base else url), config=name,
                   permalinks={"posts": JEKYLL_STYLES.get(permalink, permalink)}, collections=outputs)

    # Addresses -----------------------------------------------------------------------------------

    @property
    def base_path(self) -> str:
        """The path the site lives under on its host ('/blog'), or ''."""
        return urlsplit(self.base_url).path.rstrip("/")

    def content_path(self, path: Path) -> str:
        """The file's path below the content folder ('posts/repairs.md'), as Hugo's ref and Jekyll's link name it."""
        for folder in (self.content, self.root):
            if folder is not None:
                try:
                    return path.resolve().relative_to(folder).as_posix()
                except ValueError:
                    continue
        return path.name

    def addresses(self, path: Path, meta: dict) -> list[str]:
        """The page's old addresses, its own first, then its aliases; [] when nothing says. Each is a web
        address when the site's address is known, else a path on the old host."""
        own = self.own_path(self.content_path(path), meta)
        found = [own] if own else []
        for key in ("aliases", "redirect_from", "redirect-from"):
            value = meta.get(key)
            for alias in [value] if isinstance(value, str) else value if isinstance(value, list) else []:
                if isinstance(alias, str) and alias.strip():
                    found.append(alias.strip())
        return list(dict.fromkeys(self.address(a) for a in found if a))

    def host_path(self, site_path: str) -> str:
        """A path on the site ('/about/') as a path on its host ('/blog/about/'); a web address as given."""
        if re.match(r"(?i)https?://", site_path):
            return site_path
        return quote(self.base_path + "/" + site_path.lstrip("/"), safe=_URL_SAFE)

    def address(self, site_path: str) -> str:
        """A path on the site as a web address when the site's address is known, else as a path on its host."""
        path = self.host_path(site_path)
        if path.startswith("/") and self.base_url:
            return re.match(r"[A-Za-z]+://[^/]+", self.base_url).group() + path
        return path

    def own_path(self, content_path: str, meta: dict) -> str:
        """The page's own path on the site (without the base path), or '' when it cannot be known."""
        given = next((meta[k] for k in ("url", "permalink") if isinstance(meta.get(k), str) and meta[k].strip()), "")
        if given and re.match(r"(?i)https?://", given.strip()):
            return given.strip()
        if meta.get("permalink") is False:
            return ""  # Eleventy: a page that is not written out
        rel = PurePosixPath(content_path)
        if self.kind == "hugo":
            return self._hugo_path(rel, meta, given)
        if self.kind == "jekyll":
            return self._jekyll_path(rel, meta, given)
        if given:
            return given.strip() if given.startswith("/") else "/" + given.strip()
        if self.kind == "eleventy":
            return "/" + "/".join([*rel.parts[:-1], *([] if rel.stem == "index" else [rel.stem])]) + "/" \
                if rel.parts else ""
        return ""

    def _hugo_path(self, rel: PurePosixPath, meta: dict, given: str) -> str:
        if given and "url" in meta:
            path = given.strip()
        else:
            bundle = rel.stem in ("index", "_index") and len(rel.parts) > 1
            folders = list(rel.parts[:-2] if bundle else rel.parts[:-1])
            name = rel.parts[-2] if bundle else rel.stem
            slug = str(meta.get("slug") or "").strip() or name
            section = rel.parts[0] if len(rel.parts) > 1 else ""
            pattern = self.permalinks.get(section)
            if pattern:
                values = {"section": section, "sections": "/".join(folders), "slug": slug, "filename": name,
                          "contentbasename": name, "slugorfilename": slug, "slugorcontentbasename": slug,
                          "title": slugify(str(meta.get("title") or name)), **_date_values(meta.get("date"))}
                path = _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group()), pattern)
            else:
                path = "/".join([*folders, slug]) + (".html" if self.ugly_urls else "/")
            path = path.replace(" ", "-")
        path = "/" + path.lstrip("/")
        return path.lower() if self.lower_case else path

    def _jekyll_path(self, rel: PurePosixPath, meta: dict, given: str) -> str:
        parts = rel.parts
        post = _JEKYLL_POST.match(rel.stem) if "_posts" in parts else None
        if post:
            folders = [p for p in parts[:parts.index("_posts")] if p]
            categories = [*folders, *_words(meta.get("categories")), *_words(meta.get("category"))]
            day = _date_values(meta.get("date")) or _date_values("-".join(post.groups()[:3]))
            title = str(meta.get("slug") or post.group(4))
            values = {"categories": "/".join(slugify(c) for c in dict.fromkeys(categories)), "title": title,
                      "slug": slugify(title), "name": rel.stem, "output_ext": ".html", "basename": rel.stem, **day}
            pattern = given or self.permalinks.get("posts") or JEKYLL_STYLES["date"]
            path = _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group()), pattern)
            return re.sub(r"/{2,}", "/", "/" + path.lstrip("/"))
        if given:
            return "/" + given.strip().lstrip("/")
        if parts and parts[0].startswith("_"):  # a collection's document
            collection = parts[0][1:]
            if collection not in self.collections:
                return ""
            return "/" + "/".join([collection, *parts[1:-1], rel.stem]) + ".html"
        pretty = self.permalinks.get("posts", "").endswith("/")
        if rel.stem == "index":
            return "/" + "/".join(parts[:-1]) + ("/" if parts[:-1] else "")
        return "/" + "/".join([*parts[:-1], rel.stem]) + ("/" if pretty else ".html")


def _load(path: Path) -> dict:
    """A configuration file's settings, or {} if it cannot be read (an import never fails on one)."""
    try:
        if path.stat().st_size > MAX_CONFIG_BYTES:
            return {}
        text = path.read_text(encoding="utf-8-sig")
        if path.suffix == ".toml":
            data = tomllib.loads(text)
        elif path.suffix == ".json":
            data = json.loads(text)
        else:
            data = yaml.safe_load(text)
    except (OSError, UnicodeError, ValueError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def _words(value) -> list[str]:
    if isinstance(value, str):
        return value.split()
    if isinstance(value, list):
        return [str(v) for v in value if isinstance(v, (str, int))]
    return []


def _date_values(value) -> dict[str, str]:
    """The date placeholders of permalink patterns, from a front matter date; {} when there is none."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip().replace("Z", "+00:00").replace(" ", "T", 1)[:25])
        except ValueError:
            match = re.match(r"(\d{4})-(\d{2})-(\d{2})", value.strip())
            try:
                value = date(*map(int, match.groups())) if match else None
            except ValueError:  # 2021-02-30
                value = None
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        return {}
    return {"year": f"{value.year:04d}", "month": f"{value.month:02d}", "day": f"{value.day:02d}",
            "i_month": str(value.month), "i_day": str(value.day), "short_year": f"{value.year % 100:02d}",
            "y_day": f"{value.timetuple().tm_yday:03d}", "yearday": str(value.timetuple().tm_yday),
            "monthname": _MONTHS[value.month - 1], "short_month": _MONTHS[value.month - 1][:3].capitalize(),
            "long_month": _MONTHS[value.month - 1].capitalize(), "weekday": str(value.isoweekday() % 7),
            "weekdayname": _DAYS[value.weekday()], "short_day": _DAYS[value.weekday()][:3].capitalize(),
            "week": f"{value.isocalendar()[1]:02d}"}
