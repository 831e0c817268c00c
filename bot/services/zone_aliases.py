"""Place names the time zone database does not spell: French (and some English) names of cities and
countries, and big cities that share a zone named after another city. Keys are folded like the learner's
text (lower case, no accents, dashes and apostrophes as spaces); values are canonical IANA zones."""

from __future__ import annotations

__all__ = ["ALIASES"]

_BY_ZONE: dict[str, tuple[str, ...]] = {
    "Europe/Paris": (
        "marseille", "lyon", "toulouse", "nice", "nantes", "strasbourg", "montpellier", "bordeaux", "lille",
        "rennes", "reims", "le havre", "toulon", "grenoble", "dijon", "angers", "nimes", "saint etienne",
        "clermont ferrand", "tours", "limoges", "amiens", "metz", "nancy", "besancon", "perpignan", "orleans",
        "rouen", "caen", "brest", "mulhouse", "avignon", "poitiers", "la rochelle", "pau", "ajaccio", "bastia",
        "annecy", "chambery", "versailles", "valence", "france",
    ),
    "Europe/Brussels": ("bruxelles", "liege", "anvers", "antwerp", "gand", "ghent", "namur", "charleroi", "mons",
                        "bruges", "louvain", "leuven", "belgique", "belgium"),
    "Europe/Zurich": ("geneve", "geneva", "lausanne", "berne", "bern", "bale", "basel", "fribourg", "neuchatel",
                      "sion", "lugano", "suisse", "switzerland"),
    "Europe/London": ("londres", "manchester", "birmingham", "edimbourg", "edinburgh", "glasgow", "liverpool",
                      "royaume uni", "united kingdom", "uk", "angleterre", "england", "ecosse", "scotland"),
    "Europe/Dublin": ("irlande", "ireland"),
    "Europe/Berlin": ("munich", "francfort", "frankfurt", "hambourg", "hamburg", "cologne", "stuttgart",
                      "allemagne", "germany"),
    "Europe/Madrid": ("barcelone", "barcelona", "seville", "valencia", "espagne", "spain"),
    "Europe/Rome": ("milan", "naples", "turin", "florence", "venise", "venice", "italie", "italy"),
    "Europe/Lisbon": ("lisbonne", "porto", "portugal"),
    "Europe/Amsterdam": ("pays bas", "netherlands", "rotterdam", "la haye", "the hague"),
    "Europe/Vienna": ("vienne", "autriche", "austria"),
    "Europe/Athens": ("athenes", "grece", "greece"),
    "Europe/Warsaw": ("varsovie", "cracovie", "krakow", "pologne", "poland"),
    "Europe/Bucharest": ("bucarest", "roumanie", "romania"),
    "Europe/Copenhagen": ("copenhague",),
    "Europe/Moscow": ("moscou", "saint petersbourg", "saint petersburg"),
    "Europe/Kyiv": ("kiev", "kyiv", "kiew"),
    "Africa/Algiers": ("alger", "oran", "constantine", "annaba", "algerie", "algeria"),
    "Africa/Tunis": ("sfax", "sousse", "tunisie", "tunisia"),
    "Africa/Casablanca": ("rabat", "marrakech", "fes", "tanger", "agadir", "meknes", "maroc", "morocco"),
    "Africa/Abidjan": ("cote d ivoire", "ivory coast", "yamoussoukro"),
    "Africa/Dakar": ("senegal",),
    "Africa/Douala": ("yaounde", "cameroun", "cameroon"),
    "Africa/Lagos": ("cotonou", "benin", "abuja", "nigeria"),
    "Africa/Cairo": ("le caire", "caire", "egypte", "egypt"),
    "Africa/Lubumbashi": ("katanga",),
    "Indian/Antananarivo": ("tananarive", "madagascar"),
    "Indian/Mauritius": ("port louis", "ile maurice", "mauritius"),
    "Indian/Reunion": ("la reunion", "saint pierre de la reunion"),
    "Asia/Beirut": ("beyrouth", "liban", "lebanon"),
    "Asia/Shanghai": ("pekin", "beijing", "canton", "guangzhou", "shenzhen", "chine", "china"),
    "Asia/Tokyo": ("osaka", "kyoto", "japon", "japan"),
    "Asia/Kolkata": ("bombay", "mumbai", "delhi", "new delhi", "calcutta", "bangalore", "chennai", "pondichery",
                     "inde", "india"),
    "Asia/Singapore": ("singapour",),
    "Asia/Dubai": ("abou dabi", "abu dhabi", "emirats arabes unis"),
    "America/Toronto": ("montreal", "quebec", "ville de quebec", "quebec city", "ottawa", "gatineau",
                        "sherbrooke", "trois rivieres", "saguenay", "levis"),
    "America/New_York": ("washington", "boston", "miami", "philadelphie", "philadelphia"),
    "America/Chicago": ("nouvelle orleans", "new orleans", "houston", "dallas", "la nouvelle orleans"),
    "America/Los_Angeles": ("san francisco", "seattle", "san diego", "las vegas"),
    "America/Edmonton": ("calgary",),
    "America/Mexico_City": ("mexico",),
    "America/Sao_Paulo": ("rio de janeiro", "rio", "bresil", "brazil"),
    "America/Martinique": ("fort de france",),
    "America/Guadeloupe": ("pointe a pitre", "basse terre"),
    "Pacific/Tahiti": ("papeete", "tahiti", "polynesie francaise"),
}

ALIASES: dict[str, str] = {name: zone for zone, names in _BY_ZONE.items() for name in names}
