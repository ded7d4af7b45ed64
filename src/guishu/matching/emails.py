"""E-mail addresses and the company domain behind them.

Business rules: an e-mail address identifies one mailbox, so two customers with the same address
are the same customer. The domain of a company address ("li@acme.com.cn") also identifies the
company, but the domain of a free-mail provider ("li@qq.com") is shared by millions of strangers
and identifies nobody.
"""

import unicodedata

from guishu.matching.domains import canonical_host, registrable_domain

# Mail providers where anyone can open a mailbox. Keep this list maintained: a provider missing
# here makes all of its users look like one company. Country variants are listed one by one
# because yahoo.co.uk and yahoo.com are different registrable domains.
FREE_MAIL_DOMAINS: frozenset[str] = frozenset(
    {
        # China
        "qq.com",
        "vip.qq.com",
        "foxmail.com",
        "163.com",
        "vip.163.com",
        "126.com",
        "vip.126.com",
        "yeah.net",
        "188.com",
        "sina.com",
        "sina.cn",
        "vip.sina.com",
        "sohu.com",
        "aliyun.com",
        "139.com",
        "189.cn",
        "wo.cn",
        "21cn.com",
        "tom.com",
        # Hong Kong and Taiwan
        "hinet.net",
        "netvigator.com",
        # Microsoft
        "outlook.com",
        "hotmail.com",
        "hotmail.co.uk",
        "hotmail.fr",
        "hotmail.de",
        "hotmail.it",
        "hotmail.es",
        "live.com",
        "live.cn",
        "live.co.uk",
        "live.fr",
        "msn.com",
        # Google
        "gmail.com",
        "googlemail.com",
        # Yahoo
        "yahoo.com",
        "yahoo.co.uk",
        "yahoo.co.jp",
        "yahoo.co.in",
        "yahoo.com.au",
        "yahoo.com.br",
        "yahoo.com.hk",
        "yahoo.com.tw",
        "yahoo.com.sg",
        "yahoo.ca",
        "yahoo.fr",
        "yahoo.de",
        "yahoo.es",
        "yahoo.it",
        "ymail.com",
        "rocketmail.com",
        # Apple
        "icloud.com",
        "me.com",
        "mac.com",
        # other international providers
        "aol.com",
        "mail.com",
        "gmx.de",
        "gmx.net",
        "gmx.com",
        "web.de",
        "t-online.de",
        "proton.me",
        "protonmail.com",
        "pm.me",
        "zoho.com",
        "tutanota.com",
        "fastmail.com",
        "mail.ru",
        "inbox.ru",
        "list.ru",
        "bk.ru",
        "yandex.ru",
        "yandex.com",
        "ya.ru",
        "rambler.ru",
        "naver.com",
        "daum.net",
        "hanmail.net",
        "orange.fr",
        "wanadoo.fr",
        "free.fr",
        "laposte.net",
        "libero.it",
        "virgilio.it",
        "seznam.cz",
        "wp.pl",
        "o2.pl",
        "interia.pl",
        "rediffmail.com",
        "btinternet.com",
        "comcast.net",
        "att.net",
        "verizon.net",
        "bigpond.com",
    }
)

# Characters RFC 5322 allows in the local part besides letters and digits. Letters and digits
# from any script are allowed too (internationalised addresses, RFC 6531).
_LOCAL_PART_SYMBOLS = frozenset("!#$%&'*+/=?^_`{|}~-.")

_MAX_LOCAL_PART_LENGTH = 64


def _is_valid_local_part(local: str) -> bool:
    if not 0 < len(local) <= _MAX_LOCAL_PART_LENGTH:
        return False
    if local.startswith(".") or local.endswith(".") or ".." in local:
        return False
    return all(char.isalnum() or char in _LOCAL_PART_SYMBOLS for char in local)


def normalise_email(raw: str) -> str | None:
    """The address trimmed and lower-cased, or None when the text is not an e-mail address.

    Full-width characters typed with a Chinese input method ("li＠acme.com") are read as their
    ASCII forms. The domain must end in a registrable domain under a known public suffix.
    Provider-specific aliases (dots and "+tags" in Gmail) are kept: they are not the same text.
    """
    text = unicodedata.normalize("NFKC", raw).strip().lower()
    text = text.removeprefix("mailto:").strip()
    local, at, domain = text.rpartition("@")
    if not at or not _is_valid_local_part(local):
        return None
    host = canonical_host(domain)
    if host is None or registrable_domain(host) is None:
        return None
    return f"{local}@{host}"


def company_domain_of_email(email: str) -> str | None:
    """The registrable domain of a company address, or None for free mail and non-addresses.

    "li@mail.acme.com.cn" gives "acme.com.cn"; "li@vip.qq.com" gives None.
    """
    address = normalise_email(email)
    if address is None:
        return None
    host = address.rpartition("@")[2]
    domain = registrable_domain(host)
    # The registrable domain is checked too so that provider subdomains ("vip.sina.com",
    # "mail.hinet.net") count as free mail even when they are not listed one by one.
    if domain is None or host in FREE_MAIL_DOMAINS or domain in FREE_MAIL_DOMAINS:
        return None
    return domain
