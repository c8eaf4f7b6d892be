"""Production settings: development settings plus what a published site needs."""

import os
import sys

sys.path.append(os.path.dirname(__file__))
from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("CASEHUB_SITEURL", "")
CASEHUB_PRODUCTION = True  # a site for the public: it needs its address (SITEURL)
DELETE_OUTPUT_DIRECTORY = True
