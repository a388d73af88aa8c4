"""Export equals the list: ``?format=csv`` and ``?format=xlsx`` of every API list give exactly
the rows and order of its JSON pages, on the seeded database of ``api_dataset``.

A module of its own: ``api_dataset`` is module-scoped, and the tests of test_sync_export.py
count rows of a database that holds only their own ``library``.
"""

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.api.listing import all_json_rows, as_cells, list_endpoints

pytestmark = pytest.mark.django_db

ENDPOINTS = list_endpoints()


@pytest.mark.parametrize("url", ENDPOINTS)
def test_export_equals_the_list(api_dataset, admin_api, library, url):
    expected = all_json_rows(admin_api, url)
    response = admin_api.get(url, {"format": "csv"})
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    header, *body = list(csv.reader(io.StringIO(text)))
    assert body == [as_cells(r, header) for r in expected]
    assert set(header) == set(expected[0]) if expected else header

    response = admin_api.get(url, {"format": "xlsx"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    ws = load_workbook(io.BytesIO(content), read_only=True).active
    sheet = [["" if v is None else str(v) for v in r] for r in ws.iter_rows(values_only=True)]
    assert sheet[0] == header
    # Same rows, same order, same values; xlsx keeps text that looks like a formula as it is
    # (a text cell with Excel's quote prefix), so only CSV cells carry the apostrophe.
    assert sheet[1:] == [as_cells(r, header, formula_safe=False) for r in expected]
    cells = [c for row in load_workbook(io.BytesIO(content)).active.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]  # no live formula
