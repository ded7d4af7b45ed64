"""Download names in any script, sent as RFC 6266 and RFC 5987 say."""

from datetime import date
from email.message import Message
from urllib.parse import unquote

from guishu.exports.filenames import content_disposition, file_name, file_stem

DAY = date(2026, 1, 5)


def test_an_ascii_name_is_sent_as_a_plain_quoted_filename():
    name = file_name("Customers", DAY, "xlsx")
    assert name == "Customers-2026-01-05.xlsx"
    assert content_disposition(name, name) == 'attachment; filename="Customers-2026-01-05.xlsx"'


def test_a_chinese_name_is_sent_utf8_encoded_with_an_ascii_fallback():
    name = file_name("华为技术有限公司 跟进记录", DAY, "csv")
    header = content_disposition(name, file_name("customer-7-activities", DAY, "csv"))
    assert header.startswith('attachment; filename="customer-7-activities-2026-01-05.csv"; ')
    encoded = header.split("filename*=", 1)[1]
    assert encoded.startswith("UTF-8''") and encoded.isascii() and " " not in encoded
    assert unquote(encoded.removeprefix("UTF-8''")) == "华为技术有限公司 跟进记录-2026-01-05.csv"


def test_characters_no_file_system_takes_are_replaced():
    assert file_stem('a/b\\c:d*e?f"g<h>i|j\x00k') == "a_b_c_d_e_f_g_h_i_j_k"
    assert file_stem("  ../../etc/passwd  ") == "etc_passwd"
    assert file_name("", DAY, "csv") == "export-2026-01-05.csv"
    assert len(file_stem("名" * 500)) == 120


def test_a_name_with_quotes_or_semicolons_never_adds_a_parameter():
    name = file_name('Acme "Tools"; filename=evil.exe', DAY, "xlsx")
    header = content_disposition(name, "customers-2026-01-05.xlsx")
    message = Message()
    message["Content-Disposition"] = header
    assert message.get_params(header="Content-Disposition") == [
        ("attachment", ""),
        ("filename", "Acme _Tools_ filename=evil.exe-2026-01-05.xlsx"),
    ]
