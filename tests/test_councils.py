"""The council register: every current UK authority, found by the names people write."""

import pytest

from casehub.core.councils import load_councils
from casehub.core.project import Project

from .support import ROOT


@pytest.fixture(scope="module")
def councils():
    return load_councils(ROOT / "data")


def test_the_register_holds_every_current_authority_in_our_vocabularies(councils):
    project = Project(ROOT)
    assert len(councils) == 397
    regions, types = project.vocabularies["regions"].by_id, project.vocabularies["council-types"].by_id
    for council in councils:
        assert council.region in regions, council
        assert council.council_type in types, council
    assert len({c.slug for c in councils}) == 397 and len({c.gss for c in councils}) == 397


@pytest.mark.parametrize("written, name, region, kind", [
    ("Enfield", "London Borough of Enfield", "london", "london-borough"),
    ("london borough of enfield", "London Borough of Enfield", "london", "london-borough"),
    ("E09000010", "London Borough of Enfield", "london", "london-borough"),
    ("Stockport MBC", "Stockport Metropolitan Borough Council", "north-west", "metropolitan-borough"),
    ("Kent County Council", "Kent County Council", "south-east", "county"),
    ("Rhondda Cynon Taf", "Rhondda Cynon Taf County Borough Council", "wales", "welsh-council"),
    ("Armagh City, Banbridge & Craigavon", "Armagh City, Banbridge and Craigavon Borough Council",
     "northern-ireland", "northern-ireland-council"),
])
def test_names_people_write_resolve_to_one_council(councils, written, name, region, kind):
    council = councils.find(written)
    assert (council.name, council.region, council.council_type) == (name, region, kind)


@pytest.mark.parametrize("written", ["", "Nowhere Council", "E99999999", "Council"])
def test_what_names_no_council_resolves_to_none(councils, written):
    assert councils.find(written) is None
