"""Property-based tests of the loader: any input either loads or fails with a located error."""

from __future__ import annotations

import re
import shutil

from opedcheck import load, model
import pytest
import yaml
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

LOCATED = re.compile(r"^source/[\w./-]+:\d+:\d+: \S.*")
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=30),
                    st.dates().map(str), st.sampled_from(["may", "partly", "ac-new-talks", "https://x.org/", "<b>"]))
keys = st.one_of(st.text(max_size=12), st.sampled_from(["id", "title", "quote", "verdict", "predictions", "claims",
                                                         "evidence", "history", "sources", "paragraphs", "hedge"]))
documents = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                          st.dictionaries(keys, inner, max_size=5)), max_leaves=25)


@pytest.fixture(scope="module")
def source_copy(tmp_path_factory):
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(ROOT / "source", root / "source")
    return root / "source"


def load_or_located_error(source_dir) -> None:
    try:
        load.load(source_dir)
    except load.EditionError as error:
        assert LOCATED.match(str(error)), str(error)


@SETTINGS
@given(document=documents, name=st.sampled_from(["sections/energy.yml", "edition.yml", "sources/arms-control.yml", "hedges.yml"]))
def test_any_yaml_document_loads_or_fails_located(source_copy, document, name):
    original = (source_copy / name).read_bytes()
    try:
        (source_copy / name).write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
        load_or_located_error(source_copy)
    finally:
        (source_copy / name).write_bytes(original)


@SETTINGS
@given(text=st.text(max_size=200))
def test_any_text_loads_or_fails_located(source_copy, text):
    path = source_copy / "scales.yml"
    original = path.read_bytes()
    try:
        path.write_text(text, encoding="utf-8", newline="")
        load_or_located_error(source_copy)
    finally:
        path.write_bytes(original)


@SETTINGS
@given(data=st.data())
def test_any_line_edit_of_real_data_loads_or_fails_located(source_copy, data):
    path = source_copy / "sections" / "arms-control.yml"
    original = path.read_bytes()
    lines = original.decode("utf-8").split("\n")
    index = data.draw(st.integers(0, len(lines) - 1))
    edit = data.draw(st.sampled_from(["delete", "duplicate", "dedent", "indent", "truncate"]))
    if edit == "delete":
        lines.pop(index)
    elif edit == "duplicate":
        lines.insert(index, lines[index])
    elif edit == "dedent":
        lines[index] = lines[index][2:]
    elif edit == "indent":
        lines[index] = "  " + lines[index]
    else:
        lines[index] = lines[index][: data.draw(st.integers(0, max(0, len(lines[index]) - 1)))]
    try:
        path.write_text("\n".join(lines), encoding="utf-8")
        load_or_located_error(source_copy)
    finally:
        path.write_bytes(original)
