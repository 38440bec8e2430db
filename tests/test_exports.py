"""exports.py: formula-looking text cells are neutralised, numbers and plain text are not."""

from __future__ import annotations

import pytest

from ckanext.satudata import exports


@pytest.mark.parametrize(
    "cell", ["=1+1", "+62 812", "-2+3", "@SUM(A1)", "\tx", "\rx", "-Infinity", "-1e", "\t5", "--"]
)
def test_formula_like_text_gets_an_apostrophe(cell: str) -> None:
    assert exports.neutralise(cell) == "'" + cell


@pytest.mark.parametrize(
    "cell",
    [
        -5,
        3.5,
        None,
        "Tanah Grogot",
        "64.01.04",
        "",
        "a=b",
        "-5",
        "+12",
        "-12,5",
        "-1.234.567",
        "-1.5e3",
        "-",
    ],
)
def test_other_cells_are_unchanged(cell: object) -> None:
    assert exports.neutralise(cell) == cell


def test_rows() -> None:
    assert list(exports.neutralise_rows([["=A1", 1], ["ok", "-x"]])) == [["'=A1", 1], ["ok", "'-x"]]
