"""`guishu dedupe`: the command-line contract, on real .csv and .xlsx files, no database."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

ROWS = [
    ["编号", "客户名称", "联系人", "手机", "邮箱", "网址", "城市", "国家", "备注"],
    ["A1", "Acme Corp.", "Li Wei", "+1 415 555 0132", "li.wei@acme.com", "", "", "US", "x"],
    ["A2", "ACME Corporation", "", "(415) 555-0132", "sales@acme.com", "", "", "USA", ""],
    ["B1", "北京字节跳动科技有限公司", "", "010-58256688", "", "bytedance.com", "北京", "中国", ""],
    ["B2", "字節跳動(北京)科技", "", "+86 10 5825 6688", "", "", "", "", ""],
    ["C1", "Widget GmbH", "", "", "a@qq.com", "", "", "DE", ""],
    ["C2", "Gadget AG", "", "", "b@qq.com", "", "", "DE", ""],
]


def run(path: Path, tmp_path: Path) -> list[dict[str, str]]:
    out = tmp_path / "pairs.csv"
    call_command("dedupe", str(path), "--out", str(out), stderr=io.StringIO())
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "left_id,right_id,verdict,score,reasons"
    return list(csv.DictReader(io.StringIO(text)))


def pairs(rows: list[dict[str, str]]) -> dict[tuple[str, str], str]:
    return {(row["left_id"], row["right_id"]): row["verdict"] for row in rows}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_every_encoding_finds_the_same_pairs(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "in.csv"
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(ROWS)

    found = pairs(run(path, tmp_path))

    assert found[("A1", "A2")] == "same"
    assert found[("B1", "B2")] == "same"
    assert ("C1", "C2") not in found  # two qq.com addresses are not one company


def test_xlsx_with_english_headers_and_numeric_phones(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["ID", "Company", "Mobile", "Tel", "Email"])
    sheet.append([1, "恒达精密机械", 13800138000, None, None])
    sheet.append([2, "苏州恒达精密机械有限公司", None, "+86 138-0013-8000", None])
    workbook.save(tmp_path / "in.xlsx")

    rows = run(tmp_path / "in.xlsx", tmp_path)

    assert pairs(rows) == {("1", "2"): "same"}
    assert "same phone number +8613800138000" in rows[0]["reasons"]
    assert 0 < float(rows[0]["score"]) <= 1


def test_rows_without_an_id_column_are_numbered(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text(
        "name,phone\nAcme Corp.,13800138000\nACME Corporation,+86 13800138000\n", encoding="utf-8"
    )
    assert pairs(run(path, tmp_path)) == {("1", "2"): "same"}


def test_an_unreadable_file_is_a_clear_command_error(tmp_path: Path) -> None:
    (tmp_path / "in.txt").write_text("x")
    with pytest.raises(CommandError, match="unsupported format"):
        call_command("dedupe", str(tmp_path / "in.txt"))


def test_the_parallel_run_writes_exactly_what_the_serial_run_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from guishu.customers import dedupe as module

    path = tmp_path / "in.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(ROWS * 3)
    serial, parallel = io.StringIO(), io.StringIO()
    module.dedupe(path, serial, workers=1)
    monkeypatch.setattr(module, "PARALLEL_FROM", 2)
    module.dedupe(path, parallel, workers=2)
    assert parallel.getvalue() == serial.getvalue()
    assert serial.getvalue().count("\n") > 5
