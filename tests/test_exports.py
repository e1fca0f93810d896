from common.exports import csv_cell, csv_response


def test_formula_cells_are_neutralised():
    assert csv_cell('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    for start in "+-@":
        assert csv_cell(f"{start}1") == f"'{start}1"
    assert csv_cell("Plain hotel") == "Plain hotel"
    assert csv_cell(None) == ""
    assert csv_cell(12) == "12"


def test_csv_response_escapes_every_cell():
    response = csv_response(filename="x.csv", header=["name"], rows=[["=1+1"], ["ok"]])
    body = response.content.decode()
    assert body.splitlines() == ["name", "'=1+1", "ok"]
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
