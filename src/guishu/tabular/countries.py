"""Country cells ("China", "中国", "cn", "Deutschland") to ISO 3166 alpha-2 codes."""

import unicodedata

# Names people type in customer lists: English, Chinese and a few native spellings.
_NAMES = {
    "CN": [
        "china",
        "中国",
        "prc",
        "peoples republic of china",
        "中华人民共和国",
        "mainland china",
        "中国大陆",
    ],
    "HK": ["hong kong", "hongkong", "香港", "中国香港"],
    "TW": ["taiwan", "台湾", "臺灣", "中国台湾"],
    "MO": ["macau", "macao", "澳门"],
    "US": ["united states", "usa", "us", "america", "united states of america", "美国"],
    "GB": ["united kingdom", "uk", "great britain", "england", "britain", "英国"],
    "DE": ["germany", "deutschland", "德国"],
    "FR": ["france", "法国"],
    "IT": ["italy", "italia", "意大利"],
    "ES": ["spain", "espana", "españa", "西班牙"],
    "PT": ["portugal", "葡萄牙"],
    "NL": ["netherlands", "holland", "the netherlands", "荷兰"],
    "BE": ["belgium", "比利时"],
    "CH": ["switzerland", "schweiz", "瑞士"],
    "AT": ["austria", "österreich", "奥地利"],
    "SE": ["sweden", "瑞典"],
    "NO": ["norway", "挪威"],
    "DK": ["denmark", "丹麦"],
    "FI": ["finland", "芬兰"],
    "PL": ["poland", "polska", "波兰"],
    "RU": ["russia", "russian federation", "俄罗斯"],
    "TR": ["turkey", "türkiye", "土耳其"],
    "AE": ["united arab emirates", "uae", "阿联酋"],
    "SA": ["saudi arabia", "沙特", "沙特阿拉伯"],
    "IN": ["india", "印度"],
    "PK": ["pakistan", "巴基斯坦"],
    "BD": ["bangladesh", "孟加拉", "孟加拉国"],
    "VN": ["vietnam", "viet nam", "越南"],
    "TH": ["thailand", "泰国"],
    "MY": ["malaysia", "马来西亚"],
    "SG": ["singapore", "新加坡"],
    "ID": ["indonesia", "印度尼西亚", "印尼"],
    "PH": ["philippines", "菲律宾"],
    "JP": ["japan", "日本"],
    "KR": ["south korea", "korea", "republic of korea", "韩国"],
    "AU": ["australia", "澳大利亚", "澳洲"],
    "NZ": ["new zealand", "新西兰"],
    "CA": ["canada", "加拿大"],
    "MX": ["mexico", "méxico", "墨西哥"],
    "BR": ["brazil", "brasil", "巴西"],
    "AR": ["argentina", "阿根廷"],
    "CL": ["chile", "智利"],
    "ZA": ["south africa", "南非"],
    "NG": ["nigeria", "尼日利亚"],
    "EG": ["egypt", "埃及"],
    "KE": ["kenya", "肯尼亚"],
}
_LOOKUP = {name: code for code, names in _NAMES.items() for name in names}


def country_code(text: str) -> str | None:
    """The ISO code for a country cell, or None when it is not recognised."""
    folded = unicodedata.normalize("NFKC", text).strip().casefold().replace(".", "")
    if not folded:
        return None
    if len(folded) == 2 and folded.isascii() and folded.isalpha():
        return folded.upper()
    return _LOOKUP.get(folded)
