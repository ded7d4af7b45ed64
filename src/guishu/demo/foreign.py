"""Foreign buyers for the demo: per country, local-style company names and legal forms, cities
with phone formats, web domains, contact names and titles. Small tables in code.

Phone patterns: N is any digit, X a digit from 2 to 9. Where a country reserves numbers for
fiction (the US 555-01xx, the UK's drama ranges) the demo uses them. Words are split into
(text, industry key); a "latin|native" token also yields a native-script alias (Japan).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Country:
    code: str
    weight: int
    currency: str
    tld: str
    cities: tuple[tuple[str, str, str], ...]  # (region, city, landline pattern)
    mobile: str  # patterns separated by " | ", or "" when the demo keeps to landlines
    surnames: tuple[str, ...]
    places: tuple[str, ...]  # brand-like words for names such as "Harbor Point Supply"
    words: tuple[tuple[str, str], ...]  # (trade word, industry key)
    forms: tuple[str, ...]
    patterns: tuple[str, ...]  # {s} {s2} surnames, {p} place, {w} trade word, {f} legal form
    first_names: tuple[str, ...]
    titles: tuple[tuple[str, str], ...]  # (title, decision-chain role)


def _split(text: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in text.split(",") if item.strip())


# fmt: off
COUNTRIES = (
    Country(
        "US", 14, "USD", "com",
        (("CA", "Los Angeles", "+1 (213) 555-01NN"), ("TX", "Houston", "+1 (713) 555-01NN"),
         ("IL", "Chicago", "+1 (312) 555-01NN"), ("NY", "New York", "+1 (212) 555-01NN"),
         ("FL", "Miami", "+1 (305) 555-01NN"), ("WA", "Seattle", "+1 (206) 555-01NN"),
         ("GA", "Atlanta", "+1 (404) 555-01NN"), ("OH", "Columbus", "+1 (614) 555-01NN"),
         ("MI", "Detroit", "+1 (313) 555-01NN"), ("NJ", "Newark", "+1 (973) 555-01NN")),
        "+1 (917) 555-01NN | +1 (646) 555-01NN | +1 (310) 555-01NN | +1 (832) 555-01NN | "
        "+1 (786) 555-01NN | +1 (425) 555-01NN | +1 (470) 555-01NN | +1 (248) 555-01NN",
        _split("Carter, Miller, Reynolds, Walker, Bennett, Foster, Parker, Sullivan, Brooks, "
               "Hayes, Morgan, Coleman, Griffin, Porter, Whitman, Dawson"),
        _split("Harbor Point, Northstar, Lakeside, Summit, Blue Ridge, Pacific Crest, "
               "Great Plains, Keystone, Red Rock, Silver Creek, Gulf Coast, Evergreen, Ironwood"),
        (("Industrial Supply", "machinery"), ("Fastener", "hardware"),
         ("Tool & Hardware", "hardware"), ("Lighting", "lighting"), ("Home Goods", "home"),
         ("Auto Parts", "auto"), ("Electric Supply", "electronics"), ("Packaging", "packaging"),
         ("Medical Supply", "medical"), ("Pump & Valve", "valves"), ("Solar", "energy"),
         ("Apparel", "textiles")),
        ("Inc.", "LLC", "Corp.", "Co."),
        ("{s} {w} {f}", "{p} {w} {f}", "{p} {w} {f}", "{s} & Sons {w} {f}"),
        _split("James, Michael, Robert, Jennifer, Linda, David, Sarah, Emily, Kevin, Brian, "
               "Jessica, Daniel, Ashley, Matthew"),
        (("CEO", "decision_maker"), ("Owner", "decision_maker"),
         ("VP of Purchasing", "decision_maker"), ("Purchasing Manager", "influencer"),
         ("Sourcing Manager", "champion"), ("Buyer", "gatekeeper"),
         ("Engineering Manager", "influencer"), ("Operations Manager", "user")),
    ),
    Country(
        "DE", 10, "EUR", "de",
        (("Bayern", "München", "+49 89 XNNNNNN"),
         ("Baden-Württemberg", "Stuttgart", "+49 711 XNNNNNN"),
         ("Nordrhein-Westfalen", "Köln", "+49 221 XNNNNNN"),
         ("Nordrhein-Westfalen", "Düsseldorf", "+49 211 XNNNNNN"),
         ("Hamburg", "Hamburg", "+49 40 XNNNNNNN"),
         ("Hessen", "Frankfurt am Main", "+49 69 XNNNNNNN"),
         ("Bayern", "Nürnberg", "+49 911 XNNNNNN"), ("Sachsen", "Dresden", "+49 351 XNNNNNN")),
        "+49 17X NNNNNNN",
        # No Müller: "Mueller Industrietechnik GmbH" is the A/B case and must stay unique.
        _split("Schneider, Fischer, Weber, Meyer, Wagner, Becker, Schulz, Hoffmann, Koch, "
               "Richter, Klein, Wolf, Schröder, Neumann, Braun, Zimmermann, Krüger, Hartmann"),
        _split("Rhein, Nordland, Alpen, Elbe, Main, Sonnen, Tannen"),
        (("Antriebstechnik", "machinery"), ("Werkzeugbau", "machinery"), ("Metallbau", "hardware"),
         ("Elektrotechnik", "electronics"), ("Maschinenbau", "machinery"),
         ("Industriebedarf", "machinery"), ("Lichttechnik", "lighting"),
         ("Verpackung", "packaging"), ("Haustechnik", "home"), ("Fahrzeugteile", "auto"),
         ("Armaturen", "valves"), ("Solartechnik", "energy"), ("Medizintechnik", "medical"),
         ("Kunststofftechnik", "plastics")),
        ("GmbH", "GmbH", "GmbH & Co. KG", "AG", "KG"),
        ("{s} {w} {f}", "{s} {w} {f}", "{p} {w} {f}", "{s} & {s2} {w} {f}"),
        _split("Klaus, Thomas, Andreas, Stefan, Sabine, Petra, Jürgen, Frank, Katrin, Markus, "
               "Julia, Tobias, Anja, Uwe"),
        (("Geschäftsführer", "decision_maker"), ("Inhaber", "decision_maker"),
         ("Leiter Einkauf", "influencer"), ("Technischer Leiter", "influencer"),
         ("Einkäufer", "gatekeeper"), ("Produktmanager", "champion"), ("Werksleiter", "user")),
    ),
    Country(
        "GB", 7, "USD", "co.uk",
        (("England", "London", "+44 20 7946 0NNN"), ("England", "Manchester", "+44 161 496 0NNN"),
         ("England", "Leeds", "+44 113 496 0NNN"), ("England", "Birmingham", "+44 121 496 0NNN"),
         ("England", "Bristol", "+44 117 496 0NNN"), ("Scotland", "Glasgow", "+44 141 496 0NNN")),
        "",
        _split("Whitfield, Thompson, Harrison, Clarke, Wright, Robinson, Edwards, Turner, Cooper, "
               "Ward, Mitchell, Barnes, Fletcher, Ashworth"),
        _split("Thames Valley, Pennine, Albion, Midland, Crown, Severn, Kingsway, Northgate"),
        (("Engineering Supplies", "machinery"), ("Fixings", "hardware"), ("Tools", "hardware"),
         ("Lighting", "lighting"), ("Electrical Wholesale", "electronics"),
         ("Packaging", "packaging"), ("Home & Garden", "home"), ("Motor Factors", "auto"),
         ("Valves & Controls", "valves"), ("Medical Supplies", "medical")),
        ("Ltd", "Ltd", "Limited", "plc"),
        ("{s} {w} {f}", "{p} {w} {f}", "{s} & {s2} {w} {f}"),
        _split("Oliver, James, Sophie, Charlotte, Harry, George, Emma, Daniel, Lucy, Thomas, "
               "Amelia, William"),
        (("Managing Director", "decision_maker"), ("Director", "decision_maker"),
         ("Procurement Manager", "influencer"), ("Buyer", "gatekeeper"),
         ("Category Manager", "champion"), ("Technical Manager", "influencer"),
         ("Operations Director", "user")),
    ),
    Country(
        "FR", 6, "EUR", "fr",
        (("Île-de-France", "Paris", "+33 1 XN NN NN NN"),
         ("Auvergne-Rhône-Alpes", "Lyon", "+33 4 7X NN NN NN"),
         ("Provence-Alpes-Côte d'Azur", "Marseille", "+33 4 9X NN NN NN"),
         ("Hauts-de-France", "Lille", "+33 3 2X NN NN NN"),
         ("Nouvelle-Aquitaine", "Bordeaux", "+33 5 5X NN NN NN"),
         ("Grand Est", "Strasbourg", "+33 3 8X NN NN NN")),
        "+33 6 NN NN NN NN",
        _split("Moreau, Lefèvre, Dubois, Laurent, Bernard, Durand, Girard, Fontaine, Rousseau, "
               "Mercier, Bonnet, Lambert, Chevalier, Garnier"),
        _split("Atlantique, Provence, Alpes, Normandie, Loire, Azur"),
        (("Outillage", "hardware"), ("Industrie", "machinery"), ("Mécanique", "machinery"),
         ("Éclairage", "lighting"), ("Électricité", "electronics"), ("Emballages", "packaging"),
         ("Maison", "home"), ("Pièces Auto", "auto"), ("Robinetterie", "valves"),
         ("Médical", "medical"), ("Textiles", "textiles")),
        ("SARL", "SAS", "SAS", "SA"),
        ("{s} {w} {f}", "Établissements {s} {f}", "{w} {p} {f}"),
        _split("Pierre, Nicolas, Julien, Sophie, Isabelle, François, Camille, Mathieu, Claire, "
               "Antoine, Céline, Laurent"),
        (("PDG", "decision_maker"), ("Gérant", "decision_maker"),
         ("Directeur des achats", "influencer"), ("Acheteur", "gatekeeper"),
         ("Directeur technique", "influencer"), ("Chef de produit", "champion"),
         ("Responsable logistique", "user")),
    ),
    Country(
        "IT", 6, "EUR", "it",
        (("Lombardia", "Milano", "+39 02 XNNN NNNN"), ("Piemonte", "Torino", "+39 011 XNN NNNN"),
         ("Emilia-Romagna", "Bologna", "+39 051 XNN NNNN"),
         ("Veneto", "Padova", "+39 049 XNN NNNN"), ("Toscana", "Firenze", "+39 055 XNN NNNN"),
         ("Lazio", "Roma", "+39 06 XNNN NNNN")),
        "+39 34N NNN NNNN",
        _split("Rossi, Russo, Esposito, Bianchi, Romano, Colombo, Ricci, Marino, Greco, Bruno, "
               "Gallo, Conti, De Luca, Costa, Giordano, Mancini, Lombardi"),
        _split("Adriatica, Padana, Alpina, Tirrena, Euganea"),
        (("Meccanica", "machinery"), ("Utensili", "hardware"), ("Elettronica", "electronics"),
         ("Illuminazione", "lighting"), ("Imballaggi", "packaging"), ("Arredamenti", "home"),
         ("Ricambi Auto", "auto"), ("Valvole", "valves"), ("Tessuti", "textiles"),
         ("Forniture Industriali", "machinery"), ("Medicali", "medical")),
        ("S.r.l.", "S.r.l.", "S.p.A.", "S.n.c."),
        ("{s} {w} {f}", "{w} {p} {f}", "Fratelli {s} {f}"),
        _split("Marco, Luca, Giuseppe, Francesca, Alessandro, Giulia, Andrea, Paolo, Chiara, "
               "Matteo, Elena, Roberto"),
        (("Amministratore Delegato", "decision_maker"), ("Titolare", "decision_maker"),
         ("Responsabile Acquisti", "influencer"), ("Direttore Tecnico", "influencer"),
         ("Buyer", "gatekeeper"), ("Product Manager", "champion"),
         ("Responsabile di Produzione", "user")),
    ),
    Country(
        "ES", 5, "EUR", "es",
        (("Madrid", "Madrid", "+34 91 XNN NN NN"), ("Cataluña", "Barcelona", "+34 93 XNN NN NN"),
         ("Comunidad Valenciana", "Valencia", "+34 96 XNN NN NN"),
         ("Andalucía", "Sevilla", "+34 954 NN NN NN"),
         ("País Vasco", "Bilbao", "+34 944 NN NN NN")),
        "+34 6NN NNN NNN",
        _split("García, Fernández, González, Rodríguez, López, Martínez, Sánchez, Pérez, Gómez, "
               "Ruiz, Navarro, Torres, Domínguez, Vázquez"),
        _split("Ibérica, Levante, Mediterránea, Cantábrica, Norte"),
        (("Suministros Industriales", "machinery"), ("Ferretería", "hardware"),
         ("Iluminación", "lighting"), ("Electricidad", "electronics"), ("Embalajes", "packaging"),
         ("Hogar", "home"), ("Recambios", "auto"), ("Válvulas", "valves"), ("Textil", "textiles"),
         ("Maquinaria", "machinery")),
        ("S.L.", "S.L.", "S.A.", "S.L.U."),
        ("{w} {s} {f}", "{s} {w} {f}", "Hermanos {s} {f}", "{w} {p} {f}"),
        _split("Javier, Carlos, María, Laura, Antonio, Pablo, Lucía, Sergio, Elena, Miguel, "
               "Marta, Jorge"),
        (("Director General", "decision_maker"), ("Gerente", "decision_maker"),
         ("Jefe de Compras", "influencer"), ("Director Técnico", "influencer"),
         ("Comprador", "gatekeeper"), ("Jefe de Producto", "champion"),
         ("Jefe de Almacén", "user")),
    ),
    Country(
        "AE", 5, "USD", "ae",
        (("Dubai", "Dubai", "+971 4 XNN NNNN"), ("Sharjah", "Sharjah", "+971 6 5NN NNNN"),
         ("Abu Dhabi", "Abu Dhabi", "+971 2 XNN NNNN"), ("Ajman", "Ajman", "+971 6 7NN NNNN")),
        "+971 5X NNN NNNN",
        _split("Al Noor, Al Mansoori, Al Hashimi, Al Suwaidi, Al Qasimi, Al Falasi, Al Zarooni, "
               "Al Marzooqi, Al Shamsi"),
        _split("Gulf Star, Desert Rose, Emirates Link, Arabian Sea, Falcon, Oasis, Crescent, Palm "
               "Coast, Blue Dhow"),
        (("General Trading", "trading"), ("Building Materials Trading", "home"),
         ("Industrial Equipment", "machinery"), ("Electrical Trading", "electronics"),
         ("Auto Spare Parts", "auto"), ("Lighting Trading", "lighting"),
         ("Hardware & Tools Trading", "hardware"), ("Medical Equipment Trading", "medical")),
        ("LLC", "L.L.C.", "FZE", "FZCO"),
        ("{p} {w} {f}", "{s} {w} {f}"),
        _split("Ahmed, Mohammed, Khalid, Omar, Rashid, Fatima, Yousef, Hassan, Ali, Saeed, "
               "Rajesh, Sanjay"),
        (("General Manager", "decision_maker"), ("Managing Partner", "decision_maker"),
         ("Purchase Manager", "influencer"), ("Procurement Officer", "gatekeeper"),
         ("Sourcing Manager", "champion"), ("Operations Manager", "user")),
    ),
    Country(
        "IN", 5, "USD", "co.in",
        (("Maharashtra", "Mumbai", "+91 22 XNNN NNNN"), ("Delhi", "New Delhi", "+91 11 XNNN NNNN"),
         ("Karnataka", "Bengaluru", "+91 80 XNNN NNNN"),
         ("Gujarat", "Ahmedabad", "+91 79 XNNN NNNN"),
         ("Tamil Nadu", "Chennai", "+91 44 XNNN NNNN"),
         ("Maharashtra", "Pune", "+91 20 XNNN NNNN")),
        "+91 9XNNN NNNNN",
        _split("Sharma, Patel, Mehta, Gupta, Agarwal, Reddy, Iyer, Shah, Singh, Kapoor, Jain, "
               "Desai, Nair, Bansal"),
        _split("Shree Ganesh, Om Sai, Bharat, Sunrise, Galaxy, Everest, Lotus, Sahyadri"),
        (("Precision Engineering", "machinery"), ("Industries", "machinery"),
         ("Hardware Mart", "hardware"), ("Electricals", "electronics"),
         ("Lighting Solutions", "lighting"), ("Packaging", "packaging"),
         ("Auto Components", "auto"), ("Valves", "valves"), ("Textiles", "textiles"),
         ("Surgicals", "medical"), ("Solar Energy", "energy")),
        ("Pvt. Ltd.", "Private Limited", "LLP", "Ltd."),
        ("{s} {w} {f}", "{p} {w} {f}"),
        _split("Rahul, Amit, Priya, Vikram, Sunil, Anjali, Rajesh, Neha, Arjun, Deepak, Kavita, "
               "Sanjay"),
        (("Managing Director", "decision_maker"), ("Proprietor", "decision_maker"),
         ("Purchase Manager", "influencer"), ("Purchase Executive", "gatekeeper"),
         ("Technical Head", "influencer"), ("Import Manager", "champion")),
    ),
    Country(
        "BR", 4, "USD", "com.br",
        (("SP", "São Paulo", "+55 11 3NNN-NNNN"), ("RJ", "Rio de Janeiro", "+55 21 2NNN-NNNN"),
         ("MG", "Belo Horizonte", "+55 31 3NNN-NNNN"), ("PR", "Curitiba", "+55 41 3NNN-NNNN"),
         ("RS", "Porto Alegre", "+55 51 3NNN-NNNN"), ("SC", "Joinville", "+55 47 3NNN-NNNN")),
        "+55 11 9XNNN-NNNN",
        _split("Silva, Santos, Oliveira, Souza, Pereira, Costa, Rodrigues, Almeida, Nascimento, "
               "Carvalho, Ribeiro, Barbosa, Rocha, Martins"),
        _split("Paulista, Atlântico, Cruzeiro, Serra Azul, Pampa"),
        (("Comércio de Ferramentas", "hardware"), ("Máquinas", "machinery"),
         ("Iluminação", "lighting"), ("Materiais Elétricos", "electronics"),
         ("Embalagens", "packaging"), ("Autopeças", "auto"), ("Utilidades Domésticas", "home"),
         ("Válvulas", "valves"), ("Têxtil", "textiles"), ("Equipamentos Médicos", "medical")),
        ("Ltda.", "Ltda.", "S.A.", "EIRELI"),
        ("{s} {w} {f}", "{w} {p} {f}"),
        _split("João, Pedro, Lucas, Ana, Mariana, Rafael, Fernanda, Bruno, Camila, Gustavo, "
               "Juliana, Thiago"),
        (("Diretor", "decision_maker"), ("Sócio-Diretor", "decision_maker"),
         ("Gerente de Compras", "influencer"), ("Comprador", "gatekeeper"),
         ("Gerente Técnico", "influencer"), ("Analista de Importação", "champion")),
    ),
    Country(
        "AU", 4, "USD", "com.au",
        (("NSW", "Sydney", "+61 2 9XNN NNNN"), ("VIC", "Melbourne", "+61 3 9XNN NNNN"),
         ("QLD", "Brisbane", "+61 7 3XNN NNNN"), ("WA", "Perth", "+61 8 9XNN NNNN"),
         ("SA", "Adelaide", "+61 8 8XNN NNNN")),
        "+61 4NN NNN NNN",
        _split("Mitchell, Kelly, Campbell, Stewart, Murphy, Ryan, Walsh, Murray, Baker, Young, "
               "Scott, Hudson"),
        _split("Southern Cross, Coastal, Outback, Bayside, Eastern, Sunshine Coast, "
               "Great Southern, Red Centre"),
        (("Trade Supplies", "hardware"), ("Industrial", "machinery"), ("Lighting", "lighting"),
         ("Electrical", "electronics"), ("Packaging", "packaging"), ("Homewares", "home"),
         ("Auto Parts", "auto"), ("Pumps & Valves", "valves"), ("Solar", "energy"),
         ("Medical", "medical")),
        ("Pty Ltd", "Pty Ltd", "Pty. Ltd."),
        ("{p} {w} {f}", "{s} {w} {f}"),
        _split("Jack, Liam, Chloe, Emily, Ben, Sam, Olivia, Josh, Mia, Luke, Grace, Matt"),
        (("Managing Director", "decision_maker"), ("Owner", "decision_maker"),
         ("Procurement Manager", "influencer"), ("Purchasing Officer", "gatekeeper"),
         ("Category Buyer", "champion"), ("Operations Manager", "user")),
    ),
    Country(
        "JP", 4, "USD", "co.jp",
        (("Tokyo", "Tokyo", "+81 3-XNNN-NNNN"), ("Osaka", "Osaka", "+81 6-XNNN-NNNN"),
         ("Aichi", "Nagoya", "+81 52-XNN-NNNN"), ("Kanagawa", "Yokohama", "+81 45-XNN-NNNN"),
         ("Fukuoka", "Fukuoka", "+81 92-XNN-NNNN")),
        "+81 90-NNNN-NNNN",
        _split("Takahashi|高橋, Suzuki|鈴木, Tanaka|田中, Watanabe|渡辺, Ito|伊藤, Yamamoto|山本, "
               "Nakamura|中村, Kobayashi|小林, Kato|加藤, Yoshida|吉田, Yamada|山田, "
               "Matsumoto|松本, Inoue|井上"),
        (),
        (("Seiki|精機", "machinery"), ("Kogyo|工業", "machinery"), ("Denki|電機", "electronics"),
         ("Shoji|商事", "trading"), ("Seisakusho|製作所", "machinery"), ("Shomei|照明", "lighting"),
         ("Kogu|工具", "hardware"), ("Jidosha Buhin|自動車部品", "auto")),
        ("Co., Ltd.|株式会社",),
        ("{s} {w} {f}",),
        _split("Hiroshi, Takeshi, Kenji, Yuki, Akiko, Naoki, Satoshi, Tomoko, Daisuke, Emi"),
        (("President", "decision_maker"), ("General Manager", "decision_maker"),
         ("Purchasing Manager", "influencer"), ("Buyer", "gatekeeper"),
         ("Engineering Manager", "influencer"), ("Overseas Sourcing", "champion")),
    ),
)
# fmt: on

FREE_MAIL = ("gmail.com", "outlook.com", "hotmail.com", "yahoo.com")

# Sources of foreign and domestic leads, in both languages, with their usual weights.
FOREIGN_SOURCES = (("Alibaba.com", 30), ("广交会 / Canton Fair", 20), ("展会 / Trade show", 15),
                   ("官网询盘 / Website", 20), ("转介绍 / Referral", 10),
                   ("陌拜 / Cold call", 5))  # fmt: skip
DOMESTIC_SOURCES = (("转介绍 / Referral", 30), ("陌拜 / Cold call", 25), ("展会 / Trade show", 20),
                    ("官网询盘 / Website", 20), ("1688.com", 5))  # fmt: skip
