"""Development settings for building the Casehub site. `publishconf.py` overrides
only what production needs. Entries live in casestudies/ and are read by the
casehub plugin, not by Pelican's article reader."""

from pathlib import Path

ROOT = Path(__file__).parent

SITENAME = "Casehub"
SITESUBTITLE = "Good practice from UK local government and public services"
AUTHOR = "Casehub contributors"
SITEURL = ""
DEFAULT_LANG = "en-GB"
TIMEZONE = "Europe/London"

PATH = str(ROOT / "content")
PAGE_PATHS = ["pages"]
ARTICLE_PATHS = []
THEME = str(ROOT / "theme")
OUTPUT_PATH = str(ROOT / "output")

PLUGINS = ["casehub"]
CASEHUB_ROOT = str(ROOT)
CASEHUB_REPO_URL = "https://github.com/casehub-uk/casehub"
CASEHUB_PAGE_SIZE = 50
CASEHUB_SEARCH = True
# The search index is split by date into parts of this many entries (plugins/casehub/site/search.py;
# the environment variable of the same name overrides it).
CASEHUB_SEARCH_PART_SIZE = 2500

# Pages from content/pages live at /<slug>/; entries are written by the plugin.
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
DIRECT_TEMPLATES = []
ARTICLE_SAVE_AS = ARTICLE_LANG_SAVE_AS = DRAFT_SAVE_AS = DRAFT_LANG_SAVE_AS = ""
PAGE_LANG_SAVE_AS = DRAFT_PAGE_SAVE_AS = DRAFT_PAGE_LANG_SAVE_AS = ""
AUTHOR_SAVE_AS = AUTHORS_SAVE_AS = CATEGORY_SAVE_AS = CATEGORIES_SAVE_AS = ""
TAG_SAVE_AS = TAGS_SAVE_AS = ARCHIVES_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = MONTH_ARCHIVE_SAVE_AS = DAY_ARCHIVE_SAVE_AS = ""
FEED_ALL_ATOM = FEED_ALL_RSS = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None

STATIC_PATHS = []
THEME_STATIC_DIR = "theme"
DELETE_OUTPUT_DIRECTORY = False
RELATIVE_URLS = False
SLUGIFY_SOURCE = "basename"
JINJA_ENVIRONMENT = {"autoescape": True, "trim_blocks": True, "lstrip_blocks": True}
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.tables": {},
        "markdown.extensions.toc": {},
        "markdown.extensions.sane_lists": {},
    },
    "output_format": "html",
}
