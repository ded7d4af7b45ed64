"""Registrable web domains: the part of a host name that one organisation owns.

Business rule: two customers whose websites share a registrable domain are the same customer
("www.acme.com.cn" and "shop.acme.com.cn" are both "acme.com.cn"). Where the registrable part
starts is decided by the Public Suffix List, so "acme.co.uk" is found while "co.uk" alone is not.
The list ships inside the ``publicsuffixlist`` package and is read from disk; nothing is fetched
over the network at run time.
"""

import functools
import ipaddress
import unicodedata
from urllib.parse import urlsplit

from publicsuffixlist import PublicSuffixList

# Websites that host many unrelated companies under one registrable domain. A link to a
# company's LinkedIn page or Alibaba shop says nothing about who the company is, and turning it
# into a "domain:linkedin.com" key would make every such customer collide with every other.
# Platforms that give each tenant its own registrable domain (acme.github.io, acme.myshopify.com,
# acme.blogspot.com) are already handled by the private section of the Public Suffix List.
SHARED_PLATFORM_DOMAINS: frozenset[str] = frozenset(
    {
        # social networks and messengers
        "facebook.com",
        "fb.com",
        "instagram.com",
        "linkedin.com",
        "twitter.com",
        "x.com",
        "youtube.com",
        "tiktok.com",
        "douyin.com",
        "weibo.com",
        "whatsapp.com",
        "wa.me",
        "t.me",
        "vk.com",
        "xiaohongshu.com",
        "zhihu.com",
        # B2B marketplaces and shops, common in export trade (外贸)
        "alibaba.com",
        "1688.com",
        "aliexpress.com",
        "made-in-china.com",
        "globalsources.com",
        "dhgate.com",
        "ec21.com",
        "indiamart.com",
        "tradeindia.com",
        "taobao.com",
        "tmall.com",
        "jd.com",
        "amazon.com",
        "ebay.com",
        "etsy.com",
        # site builders, link shorteners and search pages
        "google.com",
        "baidu.com",
        "wordpress.com",
        "wix.com",
        "linktr.ee",
        "bit.ly",
        "goo.gl",
    }
)

# Dots as typed with Chinese and Japanese input methods, so "acme。com" reads as "acme.com".
_DOT_VARIANTS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})

# A DNS label is at most 63 characters long.
_MAX_LABEL_LENGTH = 63


@functools.cache
def _public_suffix_list() -> PublicSuffixList:
    # Parsed once, on first use, so that importing the module stays cheap.
    return PublicSuffixList()


def _decode_label(label: str) -> str | None:
    """Punycode labels ("xn--fiqs8s") in their Unicode form, so both spellings give one key."""
    if not label.startswith("xn--"):
        return label
    try:
        return label.encode("ascii").decode("idna")
    except UnicodeError:
        return None


def _is_valid_label(label: str) -> bool:
    if not 0 < len(label) <= _MAX_LABEL_LENGTH:
        return False
    if label.startswith("-") or label.endswith("-"):
        return False
    return all(char.isalnum() or char == "-" for char in label)


def canonical_host(host: str) -> str | None:
    """A bare host name, lower-cased and in Unicode form; None for IP addresses and non-hosts.

    IP addresses are refused because they say where a site is served from, not who owns it.
    """
    text = unicodedata.normalize("NFKC", host).translate(_DOT_VARIANTS).strip().lower()
    # A trailing dot is the fully qualified spelling of the same name.
    text = text.removesuffix(".")
    if not text:
        return None
    try:
        ipaddress.ip_address(text)
    except ValueError:
        pass
    else:
        return None
    labels: list[str] = []
    for raw_label in text.split("."):
        label = _decode_label(raw_label)
        if label is None or not _is_valid_label(label.lower()):
            return None
        labels.append(label.lower())
    return ".".join(labels)


def registrable_domain(url_or_host: str) -> str | None:
    """The registrable domain of a URL or host name, or None when there is none.

    "https://www.Acme.com.cn/about" gives "acme.com.cn" and "shop.acme.co.uk" gives "acme.co.uk".
    IP addresses, bare public suffixes ("com.cn"), unknown top-level domains and text that is no
    host at all give None, because none of them identifies an organisation.
    """
    text = unicodedata.normalize("NFKC", url_or_host).translate(_DOT_VARIANTS).strip()
    if not text:
        return None
    # urlsplit only recognises a host after "//"; bare "acme.com/about" would be read as a path.
    if "://" not in text:
        text = "//" + text
    try:
        hostname = urlsplit(text).hostname
    except ValueError:  # e.g. an unbalanced "[" where an IPv6 literal would be
        return None
    if not hostname:
        return None
    host = canonical_host(hostname)
    if host is None:
        return None
    # Unknown top-level domains are refused: "n.a" or "acme.local" are typing, not websites.
    return _public_suffix_list().privatesuffix(host, accept_unknown=False)
