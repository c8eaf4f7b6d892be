"""Casehub: a Pelican plugin and a library for case studies of public service practice.

`register()` connects the plugin to Pelican's signals; everything else lives in
modules named for what they own (see the README's "How the code is laid out").
"""

from pelican import signals

from .site.generator import get_generators
from .site.render import add_template_filters
from .site.search import on_finalized


def register():
    signals.generator_init.connect(add_template_filters)
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(on_finalized)
