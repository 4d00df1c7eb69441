"""Reference data the generator draws from: names, countries, phone plans, stores, products.

Everything here is static and fictional-but-plausible; the rates that decide how often each value is used
live in `rates.py`.
"""

from __future__ import annotations

from dataclasses import dataclass


def _words(text: str) -> list[str]:
    """A word list written as one string (names separated by spaces)."""
    return text.split()


# ---------------------------------------------------------------------------------------------- names
# Ordered roughly by popularity: the generator favours the front of each list.

EN_MALE = _words(
    "James Robert John Michael David William Richard Joseph Thomas Christopher Charles Daniel Matthew "
    "Anthony Mark Donald Steven Andrew Paul Joshua Kenneth Kevin Brian George Timothy Ronald Jason Edward "
    "Jeffrey Ryan Jacob Gary Nicholas Eric Jonathan Stephen Larry Justin Scott Brandon Benjamin Samuel "
    "Gregory Alexander Patrick Frank Raymond Jack Dennis Jerry Tyler Aaron Jose Adam Nathan Henry Zachary "
    "Douglas Peter Kyle Noah Ethan Jeremy Walter Christian Keith Roger Terry Austin Sean Gerald Carl "
    "Harold Dylan Arthur Lawrence Jordan Jesse Bryan Billy Bruce Gabriel Joe Logan Alan Juan Albert "
    "Willie Elijah Wayne Randy Vincent Mason Roy Ralph Bobby Russell Bradley Philip Eugene Oliver Liam "
    "Theodore Frederick"
)
EN_FEMALE = _words(
    "Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty Sandra "
    "Margaret Ashley Kimberly Emily Donna Michelle Carol Amanda Melissa Deborah Stephanie Dorothy Rebecca "
    "Sharon Laura Cynthia Amy Kathleen Angela Shirley Brenda Emma Anna Pamela Nicole Samantha Katherine "
    "Christine Helen Debra Rachel Carolyn Janet Maria Catherine Heather Diane Olivia Julie Joyce Victoria "
    "Ruth Virginia Lauren Kelly Christina Joan Evelyn Judith Andrea Hannah Megan Cheryl Jacqueline Martha "
    "Madison Teresa Gloria Sara Janice Ann Kathryn Abigail Sophia Frances Jean Alice Judy Isabella Julia "
    "Grace Amber Denise Danielle Marilyn Beverly Charlotte Natalie Theresa Diana Brittany Doris Kayla "
    "Alexis Lori Marie Eleanor Chloe Zoë Siobhán Niamh Aoife Ciara Saoirse"
)
DE_MALE = _words(
    "Thomas Michael Andreas Stefan Christian Peter Markus Frank Matthias Alexander Martin Daniel Jürgen "
    "Tobias Florian Sebastian Jan Lukas Maximilian Jonas Leon Felix Paul Niklas Klaus Wolfgang Uwe Jörg "
    "Johannes Dieter Bernd Ralf Sven Björn Fabian"
)
DE_FEMALE = _words(
    "Sabine Andrea Petra Claudia Susanne Nicole Stefanie Julia Katharina Anna Laura Lena Sarah Lisa "
    "Jessica Sandra Melanie Birgit Ursula Monika Renate Karin Jana Leonie Hannah Sophie Marie Jutta "
    "Franziska Anja Ines Silke Gabriele Kerstin Jülide"
)
FR_MALE = _words(
    "Jean Pierre Michel Philippe Nicolas Christophe Frédéric Laurent Stéphane Julien Sébastien David "
    "Thomas Antoine Alexandre Maxime Hugo Lucas Louis Mathieu Olivier Guillaume François Jérôme Éric "
    "Vincent Benoît Arnaud Romain Théo"
)
FR_FEMALE = _words(
    "Marie Nathalie Isabelle Sylvie Catherine Christine Sophie Valérie Sandrine Céline Julie Aurélie "
    "Camille Léa Manon Chloé Emma Inès Sarah Anaïs Émilie Élodie Caroline Hélène Françoise Brigitte "
    "Mathilde Pauline Margaux Clémence"
)
ES_MALE = _words(
    "Antonio José Manuel Francisco David Juan Javier Daniel Carlos Jesús Alejandro Miguel Rafael Pablo "
    "Sergio Fernando Jorge Alberto Luis Álvaro Diego Adrián Raúl Enrique Ramón Iván Rubén Óscar Andrés "
    "Víctor"
)
ES_FEMALE = _words(
    "María Carmen Ana Isabel Laura Cristina Marta Lucía Elena Pilar Sara Paula Dolores Rosa Raquel "
    "Beatriz Silvia Patricia Alba Andrea Teresa Julia Irene Nuria Mercedes Rocío Sofía Inés Alicia Noelia"
)
NL_MALE = _words(
    "Jan Johannes Pieter Cornelis Hendrik Willem Gerrit Jacobus Dirk Bram Daan Sem Lucas Milan Thijs "
    "Ruben Jeroen Bas Sander Martijn Niels Wouter Joost Stijn Tim Kees Maarten Joris Koen Rutger"
)
NL_FEMALE = _words(
    "Maria Anna Johanna Cornelia Emma Sophie Julia Tess Fenna Sanne Lotte Anouk Eva Femke Lisa Iris Inge "
    "Marieke Anneke Ingrid Esther Willemijn Mirjam Saskia Lieke Noor Roos Fleur Sara Merel"
)

EN_LAST = _words(
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Wilson "
    "Anderson Thomas Taylor Moore Jackson Martin Lee Thompson White Harris Clark Lewis Robinson Walker "
    "Young Allen King Wright Scott Hill Green Adams Baker Nelson Carter Mitchell Roberts Turner Phillips "
    "Campbell Parker Evans Edwards Collins Stewart Morris Murphy Cook Rogers Morgan Peterson Cooper Reed "
    "Bailey Bell Kelly Howard Ward Cox Richardson Wood Watson Brooks Bennett Gray James Hughes Price "
    "Myers Long Foster Sanders Ross Powell Sullivan Russell Ortiz Jenkins Perry Butler Barnes Fisher "
    "Henderson Coleman Simmons Patterson Jordan Reynolds Hamilton Graham Wallace Cole West Stone Hayes "
    "Gibson Ellis Hunt Palmer Holmes Mills Lloyd Chapman Knight Harrison Fletcher Dixon Walsh Byrne "
    "O'Brien O'Connor O'Neill McCarthy MacDonald McKenzie Doyle Ryan Nguyen Patel Singh Chen Wong Kim "
    "Tran Ali Khan Smith-Jones Fitzgerald Vaughan Lynch Quinn Gallagher Kennedy Burke Dunne Brennan"
)
DE_LAST = _words(
    "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch Bauer "
    "Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange Schmitt "
    "Werner Schmitz Krause Meier Lehmann Schmid Schulze Maier Köhler Herrmann König Walter Mayer Huber"
)
FR_LAST = _words(
    "Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent Simon Michel Lefebvre Leroy "
    "Roux David Bertrand Morel Fournier Girard Bonnet Dupont Lambert Fontaine Rousseau Vincent Muller "
    "Lefèvre Faure André Mercier Blanc Guérin Boyer Garnier Chevalier François Legrand Gauthier Garcia"
)
ES_LAST = _words(
    "García Rodríguez González Fernández López Martínez Sánchez Pérez Gómez Martín Jiménez Ruiz Hernández "
    "Díaz Moreno Muñoz Álvarez Romero Alonso Gutiérrez Navarro Torres Domínguez Vázquez Ramos Gil Ramírez "
    "Serrano Blanco Molina Morales Suárez Ortega Delgado Castro Ortiz Rubio Marín Sanz Núñez"
)
NL_LAST = _words(
    "de Jong Jansen de Vries van den Berg van Dijk Bakker Janssen Visser Smit Meijer de Boer Mulder de "
    "Groot Bos Vos Peters Hendriks van Leeuwen Dekker Brouwer de Wit Dijkstra Smits de Graaf van der Meer "
    "van der Linden Kok Jacobs de Haan Vermeulen van den Heuvel van der Veen van den Broek de Bruijn de "
    "Bruin van der Heijden Schouten van Beek Willems van Vliet"
)
# Dutch surnames have particles: rejoin the split tokens ("de", "van", "der", "den") to their surname.


def _join_particles(tokens: list[str]) -> tuple[str, ...]:
    particles = {"de", "van", "der", "den"}
    names: list[str] = []
    pending: list[str] = []
    for token in tokens:
        pending.append(token)
        if token not in particles:
            names.append(" ".join(pending))
            pending = []
    return tuple(names)


NL_LAST = list(_join_particles(NL_LAST))

# Common English nicknames (and a few continental short forms): used by people signing up informally.
NICKNAMES: dict[str, tuple[str, ...]] = {
    "Robert": ("Bob", "Rob", "Bobby"),
    "William": ("Bill", "Will", "Billy"),
    "Katherine": ("Kate", "Katie", "Kathy"),
    "Kathryn": ("Kate", "Kathy"),
    "Catherine": ("Cathy", "Cat", "Kate"),
    "Elizabeth": ("Liz", "Beth", "Lizzie"),
    "James": ("Jim", "Jimmy", "Jamie"),
    "John": ("Johnny", "Jack"),
    "Michael": ("Mike", "Mikey"),
    "Richard": ("Rick", "Rich", "Dick"),
    "Thomas": ("Tom", "Tommy"),
    "Joseph": ("Joe", "Joey"),
    "Charles": ("Charlie", "Chuck"),
    "Christopher": ("Chris",),
    "Daniel": ("Dan", "Danny"),
    "Matthew": ("Matt",),
    "Anthony": ("Tony",),
    "Andrew": ("Andy", "Drew"),
    "Joshua": ("Josh",),
    "Nicholas": ("Nick",),
    "Jonathan": ("Jon",),
    "Benjamin": ("Ben",),
    "Samuel": ("Sam",),
    "Alexander": ("Alex",),
    "Edward": ("Ed", "Eddie", "Ted"),
    "Steven": ("Steve",),
    "Stephen": ("Steve",),
    "Timothy": ("Tim",),
    "Patrick": ("Pat",),
    "Gregory": ("Greg",),
    "Kenneth": ("Ken",),
    "Ronald": ("Ron",),
    "Donald": ("Don",),
    "Douglas": ("Doug",),
    "Jacob": ("Jake",),
    "Raymond": ("Ray",),
    "Lawrence": ("Larry",),
    "Gerald": ("Jerry",),
    "Theodore": ("Ted", "Teddy", "Theo"),
    "Frederick": ("Fred",),
    "Zachary": ("Zach",),
    "Jennifer": ("Jen", "Jenny"),
    "Jessica": ("Jess",),
    "Margaret": ("Maggie", "Meg", "Peggy"),
    "Patricia": ("Pat", "Patty", "Trish"),
    "Susan": ("Sue",),
    "Deborah": ("Deb", "Debbie"),
    "Rebecca": ("Becky", "Becca"),
    "Victoria": ("Vicky", "Tori"),
    "Samantha": ("Sam",),
    "Christina": ("Chris", "Tina"),
    "Abigail": ("Abby",),
    "Kimberly": ("Kim",),
    "Amanda": ("Mandy",),
    "Stephanie": ("Steph",),
    "Isabella": ("Bella", "Izzy"),
    "Eleanor": ("Ellie",),
    "Judith": ("Judy",),
    "Barbara": ("Barb",),
    "Cynthia": ("Cindy",),
    "Pamela": ("Pam",),
    "Sandra": ("Sandy",),
    "Madison": ("Maddie",),
    "Dorothy": ("Dot",),
    "Johannes": ("Hannes", "Jan"),
    "Maximilian": ("Max",),
    "Stefanie": ("Steffi",),
    "Katharina": ("Kathi",),
    "Franziska": ("Franzi",),
    "Nicolas": ("Nico",),
    "Francisco": ("Paco", "Fran"),
    "José": ("Pepe",),
    "Alejandro": ("Álex",),
    "Cornelis": ("Kees",),
    "Hendrik": ("Henk",),
    "Jacobus": ("Koos",),
}

# ------------------------------------------------------------------------------------------- countries


@dataclass(frozen=True)
class PhonePlan:
    """How a country writes mobile numbers.

    prefixes: leading digits of the national significant number (NSN), each with the NSN's length;
    groups: digit-group sizes of the NSN in national writing (the last group takes the rest);
    trunk: the national prefix written before the NSN ("0" in most countries, nothing in NANP and Spain).
    """

    calling_code: str
    trunk: str
    groups: tuple[int, ...]
    prefixes: tuple[tuple[str, int], ...]
    # Landline prefixes with their NSN length (NANP: the area codes), for the home and office lines that
    # only probabilistic-only records carry; every number drawn from them is a valid fixed line.
    landlines: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Country:
    code: str
    weight: float
    language: str
    currency: str
    phone: PhonePlan
    # Ways people type the country, most common first; the ISO code itself is always the first entry.
    spellings: tuple[str, ...]


_US_AREA = _words(
    "201 202 203 205 206 207 208 210 212 213 214 215 216 217 219 224 225 228 229 231 234 239 240 248 251 "
    "252 253 254 256 260 262 267 269 270 276 281 301 302 303 304 305 307 308 309 310 312 313 314 315 316 "
    "317 318 319 320 321 323 330 334 336 337 339 347 352 360 361 386 401 402 404 405 406 407 408 409 410 "
    "412 413 414 415 417 419 423 424 425 432 434 435 440 443 469 478 479 480 484 501 502 503 504 505 507 "
    "508 509 510 512 513 515 516 517 518 520 530 540 541 551 559 561 562 563 567 570 571 573 574 580 585 "
    "586 601 602 603 605 606 607 608 609 610 612 614 615 616 617 618 619 620 623 626 630 631 636 641 646 "
    "650 651 660 661 662 678 682 701 702 703 704 706 707 708 712 713 714 715 716 717 718 719 720 724 727 "
    "731 732 734 740 754 757 760 763 765 770 772 773 774 775 781 785 786 801 802 803 804 805 806 808 810 "
    "812 813 814 815 816 817 818 828 830 831 832 843 845 847 848 850 856 857 858 859 860 862 863 864 865 "
    "870 901 903 904 906 907 908 909 910 912 913 914 915 916 917 918 919 920 925 928 931 936 937 940 941 "
    "947 949 951 952 954 956 970 971 972 973 978 979 980 985 989"
)
_CA_AREA = _words(
    "204 226 236 249 250 289 306 343 365 403 416 418 431 437 438 450 506 514 519 548 579 581 587 604 613 "
    "639 647 705 709 778 780 782 807 819 825 867 873 902 905"
)
# NANP numbers: area code, then an exchange whose first digit is 2-9 (the generator takes care of that).
_NANP_GROUPS = (3, 3, 4)

# UK mobiles that phonenumbers places in GB (not Jersey, Guernsey or the Isle of Man, which share +44).
_GB_CROWN_DEPENDENCIES = {45, 50, 52, 78, 79, 82, 83, 93}
_GB_MOBILE = tuple(
    f"7{d}" for d in [*range(40, 60), *range(71, 90), 90, *range(92, 100)] if d not in _GB_CROWN_DEPENDENCIES
)
_DE_MOBILE = (("151", 11), ("152", 11), ("157", 11), ("159", 11), ("160", 10), ("162", 10), ("163", 10))
_DE_MOBILE += tuple((f"17{d}", 11) for d in range(10))
_FR_MOBILE = ("60", "61", "62", "64", "65", "66", "67", "68", "73", "74", "75", "76", "77", "78")
_AU_MOBILE = tuple(f"4{d:02d}" for d in range(41)) + tuple(f"4{d}" for d in (50, 51, 52, 55, 56, 57, 58))
_AU_MOBILE += tuple(f"4{d}" for d in (60, 66, 67, 68, 69, 70, 74, 75, 77, 78, 88, 90, 91, 92, 93, 94))


def _lines(length: int, prefixes: str) -> tuple[tuple[str, int], ...]:
    return tuple((p, length) for p in prefixes.split())


COUNTRIES: tuple[Country, ...] = (
    Country(
        "US",
        0.55,
        "en",
        "USD",
        PhonePlan("1", "", _NANP_GROUPS, tuple((a, 10) for a in _US_AREA), tuple((a, 10) for a in _US_AREA)),
        (
            "US",
            "USA",
            "United States",
            "us",
            "usa",
            "U.S.",
            "United States of America",
            "UNITED STATES",
            "U.S.A.",
            "united states",
        ),
    ),
    Country(
        "GB",
        0.12,
        "en",
        "GBP",
        PhonePlan("44", "0", (4, 6), tuple((p, 10) for p in _GB_MOBILE), _lines(10, "203 207 208 161 141")),
        (
            "GB",
            "UK",
            "United Kingdom",
            "uk",
            "Great Britain",
            "England",
            "U.K.",
            "gb",
            "united kingdom",
            "Scotland",
        ),
    ),
    Country(
        "CA",
        0.07,
        "en",
        "CAD",
        PhonePlan("1", "", _NANP_GROUPS, tuple((a, 10) for a in _CA_AREA), tuple((a, 10) for a in _CA_AREA)),
        ("CA", "Canada", "canada", "CAN", "ca", "CANADA"),
    ),
    Country(
        "DE",
        0.05,
        "de",
        "EUR",
        PhonePlan("49", "0", (3, 8), _DE_MOBILE, _lines(10, "30 40 69 89 221")),
        ("DE", "Germany", "Deutschland", "germany", "DEU", "de", "GERMANY"),
    ),
    Country(
        "FR",
        0.05,
        "fr",
        "EUR",
        PhonePlan("33", "0", (1, 2, 2, 2, 2), tuple((p, 9) for p in _FR_MOBILE), _lines(9, "14 24 38 44")),
        ("FR", "France", "france", "FRA", "fr", "FRANCE", "République française"),
    ),
    Country(
        "AU",
        0.05,
        "en",
        "AUD",
        PhonePlan("61", "0", (3, 3, 3), tuple((p, 9) for p in _AU_MOBILE), _lines(9, "28 29 38 39 73 88")),
        ("AU", "Australia", "australia", "AUS", "au", "AUSTRALIA"),
    ),
    Country(
        "IE",
        0.03,
        "en",
        "EUR",
        PhonePlan(
            "353",
            "0",
            (2, 3, 4),
            tuple((p, 9) for p in ("83", "85", "86", "87", "89")),
            (("1", 8), ("21", 9), ("61", 8), ("91", 8)),
        ),
        ("IE", "Ireland", "ireland", "Éire", "IRL", "ie", "Republic of Ireland"),
    ),
    Country(
        "NL",
        0.03,
        "nl",
        "EUR",
        PhonePlan("31", "0", (1, 8), tuple((f"6{d}", 9) for d in range(1, 6)), _lines(9, "10 20 30 70")),
        ("NL", "Netherlands", "The Netherlands", "Holland", "Nederland", "nl", "netherlands"),
    ),
    Country(
        "ES",
        0.03,
        "es",
        "EUR",
        PhonePlan(
            "34",
            "",
            (3, 2, 2, 2),
            (("6", 9), ("6", 9), ("6", 9), ("71", 9), ("72", 9), ("73", 9)),
            _lines(9, "91 93 95 96"),
        ),
        ("ES", "Spain", "España", "spain", "espana", "ESP", "es"),
    ),
    Country(
        "NZ",
        0.02,
        "en",
        "NZD",
        PhonePlan(
            "64", "0", (2, 3, 4), (("21", 9), ("22", 9), ("27", 9)), _lines(8, "93 94 95 96 98 44 47 33 34")
        ),
        ("NZ", "New Zealand", "new zealand", "NZL", "nz", "Aotearoa"),
    ),
)

LANGUAGE_NAMES: dict[str, tuple[list[str], list[str], list[str]]] = {
    # language: (male first names, female first names, last names)
    "en": (EN_MALE, EN_FEMALE, EN_LAST),
    "de": (DE_MALE, DE_FEMALE, DE_LAST),
    "fr": (FR_MALE, FR_FEMALE, FR_LAST),
    "es": (ES_MALE, ES_FEMALE, ES_LAST),
    "nl": (NL_MALE, NL_FEMALE, NL_LAST),
}

# Email domains per country, with weights (percent); big webmail everywhere, local ISPs per country.
EMAIL_DOMAINS: dict[str, tuple[tuple[str, int], ...]] = {
    "US": (
        ("gmail.com", 40),
        ("yahoo.com", 14),
        ("hotmail.com", 8),
        ("outlook.com", 9),
        ("icloud.com", 12),
        ("aol.com", 5),
        ("comcast.net", 5),
        ("protonmail.com", 2),
        ("att.net", 5),
    ),
    "GB": (
        ("gmail.com", 35),
        ("hotmail.co.uk", 14),
        ("yahoo.co.uk", 10),
        ("btinternet.com", 10),
        ("outlook.com", 10),
        ("icloud.com", 10),
        ("sky.com", 6),
        ("live.co.uk", 5),
    ),
    "CA": (
        ("gmail.com", 40),
        ("hotmail.com", 15),
        ("yahoo.ca", 10),
        ("outlook.com", 10),
        ("rogers.com", 8),
        ("shaw.ca", 7),
        ("icloud.com", 10),
    ),
    "DE": (("gmail.com", 25), ("gmx.de", 25), ("web.de", 25), ("t-online.de", 15), ("outlook.de", 10)),
    "FR": (
        ("gmail.com", 35),
        ("orange.fr", 20),
        ("free.fr", 15),
        ("hotmail.fr", 10),
        ("laposte.net", 10),
        ("sfr.fr", 10),
    ),
    "AU": (
        ("gmail.com", 40),
        ("bigpond.com", 15),
        ("outlook.com", 10),
        ("hotmail.com", 10),
        ("icloud.com", 10),
        ("optusnet.com.au", 10),
        ("yahoo.com.au", 5),
    ),
    "IE": (("gmail.com", 45), ("hotmail.com", 15), ("eircom.net", 15), ("yahoo.ie", 10), ("outlook.com", 15)),
    "NL": (("gmail.com", 40), ("hotmail.com", 15), ("ziggo.nl", 15), ("kpnmail.nl", 15), ("outlook.com", 15)),
    "ES": (
        ("gmail.com", 50),
        ("hotmail.es", 20),
        ("yahoo.es", 10),
        ("telefonica.net", 10),
        ("outlook.es", 10),
    ),
    "NZ": (
        ("gmail.com", 45),
        ("xtra.co.nz", 20),
        ("hotmail.com", 15),
        ("outlook.com", 10),
        ("icloud.com", 10),
    ),
}
# Domains that ignore dots in the local part (and where variants therefore are the same mailbox).
GMAIL_DOMAINS = ("gmail.com", "googlemail.com")

# Values people type when they do not want to give an email or a phone.
JUNK_EMAILS = (
    "test@test.com",
    "noemail@example.com",
    "n/a",
    "none",
    "-",
    "null",
    "asdf",
    "no@email.com",
    "na@na.com",
    "x@x.com",
)
JUNK_PHONES = (
    "0000000000",
    "1234567890",
    "n/a",
    "none",
    "-",
    "null",
    "000-000-0000",
    "9999999999",
    "asdf",
    "0",
)
# The shared mailbox a whole family uses is the head's own address; no extra pool is needed.

PLUS_TAGS = ("shop", "news", "promo", "deals", "store", "2021", "orders", "spam", "x")
# Tags of a person's second sign-up in a system that keeps one record per email (shop, CRM, ESP): never
# one of PLUS_TAGS, so the second record's address differs from every way the first one is written.
SECOND_SIGNUP_TAGS = ("2", "alt", "new", "me", "backup")

# --------------------------------------------------------------------------------------------- stores


@dataclass(frozen=True)
class Store:
    store_id: str
    country: str
    timezone: str
    city: str
    phone_nsn: str  # the store's landline (national significant number), typed by cashiers as a default


STORES: tuple[Store, ...] = (
    Store("S001", "US", "America/New_York", "New York", "2127360110"),
    Store("S002", "US", "America/Chicago", "Chicago", "3124670182"),
    Store("S003", "US", "America/Los_Angeles", "Los Angeles", "3104553920"),
    Store("S004", "US", "America/Denver", "Denver", "3035728841"),
    Store("S005", "US", "America/New_York", "Miami", "3053741177"),
    Store("S006", "US", "America/Los_Angeles", "Seattle", "2066235530"),
    Store("S007", "US", "America/Chicago", "Dallas", "2147412286"),
    Store("S008", "US", "America/New_York", "Boston", "6172623360"),
    Store("S010", "GB", "Europe/London", "London", "2079460812"),
    Store("S011", "GB", "Europe/London", "Manchester", "1619460455"),
    Store("S012", "GB", "Europe/London", "Edinburgh", "1314960330"),
    Store("S020", "CA", "America/Toronto", "Toronto", "4163627745"),
    Store("S021", "CA", "America/Vancouver", "Vancouver", "6046819912"),
    Store("S022", "CA", "America/Toronto", "Montreal", "5148423307"),
    Store("S030", "DE", "Europe/Berlin", "Berlin", "3088741250"),
    Store("S031", "DE", "Europe/Berlin", "Munich", "8923591770"),
    Store("S040", "FR", "Europe/Paris", "Paris", "142681735"),
    Store("S041", "FR", "Europe/Paris", "Lyon", "478375520"),
    Store("S050", "AU", "Australia/Sydney", "Sydney", "292657344"),
    Store("S051", "AU", "Australia/Melbourne", "Melbourne", "396544218"),
    Store("S060", "IE", "Europe/Dublin", "Dublin", "16770341"),
    Store("S070", "NL", "Europe/Amsterdam", "Amsterdam", "205230776"),
    Store("S080", "ES", "Europe/Madrid", "Madrid", "915219038"),
    Store("S081", "ES", "Europe/Madrid", "Barcelona", "934813362"),
    Store("S090", "NZ", "Pacific/Auckland", "Auckland", "93075521"),
)

# The web shop's own time zone: Shopify writes its ISO timestamps with this zone's offset.
SHOP_TIMEZONE = "America/New_York"

# ------------------------------------------------------------------------------------------- products


@dataclass(frozen=True)
class Product:
    product_id: int
    sku: str
    title: str
    category: str
    price_usd: float


_PRODUCT_ROWS = (
    ("Apparel", "Organic Cotton Tee", 24.0),
    ("Apparel", "Merino Crew Sweater", 89.0),
    ("Apparel", "Everyday Chino", 68.0),
    ("Apparel", "Rain Shell Jacket", 149.0),
    ("Apparel", "Linen Shirt", 59.0),
    ("Apparel", "Fleece Hoodie", 72.0),
    ("Footwear", "Canvas Sneaker", 65.0),
    ("Footwear", "Trail Runner", 129.0),
    ("Footwear", "Leather Chelsea Boot", 189.0),
    ("Footwear", "Wool Slipper", 45.0),
    ("Accessories", "Leather Belt", 39.0),
    ("Accessories", "Wool Beanie", 25.0),
    ("Accessories", "Canvas Tote", 29.0),
    ("Accessories", "Polarised Sunglasses", 79.0),
    ("Accessories", "Everyday Backpack", 95.0),
    ("Home", "Linen Duvet Cover", 159.0),
    ("Home", "Stoneware Mug Set", 36.0),
    ("Home", "Scented Candle", 22.0),
    ("Home", "Cotton Bath Towel", 28.0),
    ("Home", "Cast Iron Skillet", 54.0),
    ("Beauty", "Daily Moisturiser", 32.0),
    ("Beauty", "Vitamin C Serum", 44.0),
    ("Beauty", "Mineral Sunscreen", 26.0),
    ("Beauty", "Lip Balm Trio", 12.0),
    ("Outdoor", "Insulated Bottle", 34.0),
    ("Outdoor", "Camping Lantern", 49.0),
    ("Outdoor", "Packable Daypack", 58.0),
    ("Electronics", "Wireless Earbuds", 129.0),
    ("Electronics", "Phone Charger", 19.0),
    ("Electronics", "Bluetooth Speaker", 79.0),
    ("Kids", "Kids Rain Boots", 35.0),
    ("Kids", "Plush Bear", 18.0),
)
PRODUCTS: tuple[Product, ...] = tuple(
    Product(
        product_id=7_400_000_000 + 1_013 * i,
        sku=f"{category[:3].upper()}-{1000 + 37 * i}",
        title=title,
        category=category,
        price_usd=price,
    )
    for i, (category, title, price) in enumerate(_PRODUCT_ROWS)
)
# Rough price level of each currency against USD, so a tee costs 24 USD, 19 GBP, 22 EUR.
CURRENCY_FACTOR = {"USD": 1.0, "GBP": 0.8, "EUR": 0.92, "CAD": 1.35, "AUD": 1.5, "NZD": 1.65}
APP_CATEGORIES = tuple(sorted({p.category for p in PRODUCTS}))

# -------------------------------------------------------------------------------------- other pools
COMPANIES = (
    "Acme Corp",
    "Globex",
    "Initech",
    "Umbrella Holdings",
    "Stark Industries",
    "Wayne Enterprises",
    "Hooli",
    "Pied Piper",
    "Vandelay Industries",
    "Soylent Co",
    "Wonka Industries",
    "Cyberdyne Systems",
    "Tyrell Corp",
    "Massive Dynamic",
    "Aperture Science",
    "Gringotts",
    "Oceanic Airlines",
    "Dunder Mifflin",
    "Sterling Cooper",
    "Prestige Worldwide",
    "Northwind Traders",
    "Contoso",
    "Fabrikam",
    "Adventure Works",
)
# The web domain of each company (work email addresses): "Acme Corp" -> acmecorp.com.
WORK_DOMAINS = tuple("".join(ch for ch in company.lower() if ch.isalnum()) + ".com" for company in COMPANIES)
JOB_TITLES = (
    "Marketing Manager",
    "Software Engineer",
    "Teacher",
    "Nurse",
    "Accountant",
    "Sales Director",
    "Product Manager",
    "Consultant",
    "Designer",
    "Student",
    "Retired",
    "Owner",
    "Analyst",
    "Engineer",
    "Office Manager",
    "Buyer",
)
TICKET_SUBJECTS = (
    "Where is my order?",
    "Return request",
    "Wrong size delivered",
    "Refund not received",
    "Change delivery address",
    "Item arrived damaged",
    "Question about sizing",
    "Cancel my order",
    "Loyalty points missing",
    "Cannot log in to my account",
    "Unsubscribe me",
    "Discount code not working",
    "Store receipt query",
    "Product question",
    "Update my email address",
)
# Campaign ids (Klaviyo-style) and automated flows.
CAMPAIGNS = (
    "01HCAMPSPRING",
    "01HCAMPSUMMER",
    "01HCAMPAUTUMN",
    "01HCAMPWINTER",
    "01HCAMPBFCM",
    "FLOW_WELCOME",
    "FLOW_ABANDONED_CART",
    "FLOW_POST_PURCHASE",
    "FLOW_WINBACK",
    "FLOW_BROWSE_ABANDON",
)
WEB_PATHS = (
    "/",
    "/collections/new",
    "/collections/sale",
    "/products/",
    "/cart",
    "/account",
    "/blogs/journal",
    "/pages/stores",
    "/search",
)
APP_VERSIONS = ("5.8.0", "5.9.2", "5.10.1", "5.11.0", "5.12.3", "6.0.0", "6.1.1")
COMPANY_WEB_HOST = "https://shop.example.com"
