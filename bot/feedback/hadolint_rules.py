"""hadolint's rules in French: the same five fields as the course rules, one sentence each.

Codes not listed here (new rules, DL1000 parse errors, ShellCheck SCxxxx) get a generic French
wrapper that keeps hadolint's English message, so nothing is ever lost in translation.
"""

from __future__ import annotations

from typing import NamedTuple

from bot.feedback.hadolint_runner import HadolintResult
from bot.feedback.models import Finding, Severity

__all__ = ["HADOLINT_FR", "translate"]


class Rule(NamedTuple):
    topic: str
    title: str
    why: str
    fix: str
    severity: Severity | None = None  # None: keep hadolint's level


_PIN_WHY = "Sans version figée, reconstruire la même image demain peut installer autre chose."
_INFO: Severity = "info"

HADOLINT_FR: dict[str, Rule] = {
    "DL3000": Rule("workdir", "WORKDIR doit être un chemin absolu", "Un chemin relatif dépend du WORKDIR précédent et devient vite imprévisible.", "Écris le chemin complet, par exemple `WORKDIR /app`."),
    "DL3001": Rule("shell", "Commande inutile dans un conteneur", "Des outils comme ssh, vim, service ou shutdown n'ont pas de sens pendant la construction d'une image.", "Retire cette commande du RUN."),
    "DL3002": Rule("user", "Le dernier USER est root", "Un processus root dans le conteneur donne trop de pouvoir à un attaquant qui le compromet.", "Termine par `USER` suivi d'un utilisateur non root."),
    "DL3003": Rule("workdir", "`cd` dans un RUN au lieu de WORKDIR", "Le `cd` ne vaut que pour ce RUN : les instructions suivantes repartent du répertoire d'avant.", "Utilise `WORKDIR /chemin` avant les commandes."),
    "DL3004": Rule("user", "`sudo` dans un RUN", "La construction tourne déjà en root et `sudo` n'est en général pas installé dans l'image.", "Supprime `sudo` de la commande."),
    "DL3005": Rule("package-install", "Pas de `apt-get dist-upgrade`", "Mettre à jour toute la distribution rend l'image lourde et imprévisible.", "Choisis une image de base plus récente plutôt que de tout mettre à jour."),
    "DL3006": Rule("base-tag", "Image de base sans tag", "Sans tag, Docker prend `latest`, qui change sans prévenir.", "Ajoute un tag précis, par exemple `ubuntu:22.04`."),
    "DL3007": Rule("base-tag", "Tag `latest` dans FROM", "`latest` désigne une image différente au fil du temps, donc des constructions différentes.", "Remplace `latest` par une version précise."),
    "DL3008": Rule("version-pinning", "Versions apt non figées", _PIN_WHY, "Écris `paquet=version` dans `apt-get install` (facultatif pour débuter).", _INFO),
    "DL3009": Rule("apt-cleanup", "Listes apt non supprimées", "Les listes téléchargées par `apt-get update` restent dans la couche et alourdissent l'image.", "Termine le même RUN par `&& rm -rf /var/lib/apt/lists/*`."),
    "DL3010": Rule("copy-vs-add", "Archive copiée puis extraite à la main", "ADD sait extraire une archive locale directement dans l'image.", "Utilise `ADD archive.tar.gz /dest/`."),
    "DL3011": Rule("expose", "Port invalide", "Un port UNIX va de 0 à 65535.", "Corrige le numéro de port dans EXPOSE."),
    "DL3012": Rule("healthcheck", "Plusieurs HEALTHCHECK", "Seul le dernier HEALTHCHECK compte.", "N'en garde qu'un."),
    "DL3013": Rule("version-pinning", "Versions pip non figées", _PIN_WHY, "Liste les dépendances avec leur version dans `requirements.txt`.", _INFO),
    "DL3014": Rule("package-install", "`apt-get install` sans `-y`", "Sans `-y`, apt-get attend une confirmation que personne ne donnera et la construction échoue.", "Ajoute `-y` : `apt-get install -y paquet`."),
    "DL3015": Rule("package-install", "Paquets recommandés installés en plus", "apt-get ajoute des paquets « recommandés » dont l'image n'a pas besoin.", "Ajoute `--no-install-recommends` à `apt-get install`.", _INFO),
    "DL3016": Rule("version-pinning", "Versions npm non figées", _PIN_WHY, "Écris `npm install paquet@version` ou utilise `package-lock.json`.", _INFO),
    "DL3018": Rule("version-pinning", "Versions apk non figées", _PIN_WHY, "Écris `apk add paquet=version`.", _INFO),
    "DL3019": Rule("apt-cleanup", "`apk add` sans `--no-cache`", "Le cache d'apk reste dans l'image et l'alourdit.", "Écris `apk add --no-cache paquet`."),
    "DL3020": Rule("copy-vs-add", "ADD là où COPY suffit", "ADD télécharge des URL et extrait des archives en silence : COPY fait seulement ce qu'on lit.", "Remplace `ADD` par `COPY`."),
    "DL3021": Rule("copy-vs-add", "COPY de plusieurs fichiers vers une destination sans `/`", "Avec plusieurs sources, la destination doit être un dossier qui se termine par `/`.", "Ajoute `/` à la fin de la destination."),
    "DL3022": Rule("multi-stage", "COPY --from vers une étape inconnue", "`--from` doit nommer une étape définie plus haut avec `FROM ... AS nom`.", "Corrige le nom de l'étape ou ajoute `AS nom` au FROM."),
    "DL3023": Rule("multi-stage", "COPY --from vers sa propre étape", "Une étape ne peut pas copier depuis elle-même.", "Indique une étape précédente dans `--from`."),
    "DL3024": Rule("multi-stage", "Deux étapes portent le même nom", "Les noms donnés par `AS` doivent être uniques.", "Renomme une des étapes."),
    "DL3025": Rule("cmd-form", "CMD ou ENTRYPOINT en forme shell", "En forme shell, le processus tourne sous `/bin/sh` et ne reçoit pas le signal d'arrêt de `docker stop`.", "Écris la forme JSON : `CMD [\"programme\", \"argument\"]`."),
    "DL3026": Rule("base-image", "Registre non autorisé", "La configuration n'autorise que certains registres pour les images de base.", "Prends l'image depuis un registre autorisé."),
    "DL3027": Rule("package-install", "`apt` au lieu de `apt-get`", "`apt` est fait pour un humain au clavier : son affichage change d'une version à l'autre.", "Utilise `apt-get` dans les Dockerfile."),
    "DL3028": Rule("version-pinning", "Versions gem non figées", _PIN_WHY, "Écris `gem install paquet:version`.", _INFO),
    "DL3029": Rule("base-image", "`--platform` dans FROM", "Forcer la plateforme empêche l'image de se construire ailleurs.", "Retire `--platform` et choisis la plateforme au `docker build`."),
    "DL3030": Rule("package-install", "`yum install` sans `-y`", "Sans `-y`, yum attend une confirmation et la construction échoue.", "Ajoute `-y`."),
    "DL3031": Rule("package-install", "Pas de `yum update`", "Mettre à jour tous les paquets rend l'image imprévisible.", "Choisis une image de base plus récente."),
    "DL3032": Rule("apt-cleanup", "`yum clean all` manquant", "Le cache de yum reste dans la couche.", "Termine le RUN par `&& yum clean all`."),
    "DL3033": Rule("version-pinning", "Versions yum non figées", _PIN_WHY, "Écris `yum install -y paquet-version`.", _INFO),
    "DL3034": Rule("package-install", "zypper sans mode non interactif", "zypper attend une confirmation et la construction échoue.", "Ajoute `-y` ou `--non-interactive`."),
    "DL3035": Rule("package-install", "Pas de `zypper dist-upgrade`", "Tout mettre à jour rend l'image imprévisible.", "Choisis une image de base plus récente."),
    "DL3036": Rule("apt-cleanup", "`zypper clean` manquant", "Le cache de zypper reste dans la couche.", "Termine le RUN par `&& zypper clean`."),
    "DL3037": Rule("version-pinning", "Versions zypper non figées", _PIN_WHY, "Précise la version de chaque paquet.", _INFO),
    "DL3038": Rule("package-install", "`dnf install` sans `-y`", "dnf attend une confirmation et la construction échoue.", "Ajoute `-y`."),
    "DL3040": Rule("apt-cleanup", "`dnf clean all` manquant", "Le cache de dnf reste dans la couche.", "Termine le RUN par `&& dnf clean all`."),
    "DL3041": Rule("version-pinning", "Versions dnf non figées", _PIN_WHY, "Précise la version de chaque paquet.", _INFO),
    "DL3042": Rule("pip-cache", "`pip install` sans `--no-cache-dir`", "pip garde une copie des paquets téléchargés qui alourdit l'image pour rien.", "Écris `pip install --no-cache-dir ...`."),
    "DL3043": Rule("dockerfile-basics", "Instruction interdite dans ONBUILD", "ONBUILD ne peut pas contenir FROM, MAINTAINER ni un autre ONBUILD.", "Retire cette instruction du ONBUILD."),
    "DL3044": Rule("env-secrets", "Variable utilisée dans le ENV qui la définit", "Dans un même ENV, la nouvelle valeur n'est pas encore connue : tu obtiens l'ancienne.", "Sépare en deux instructions ENV."),
    "DL3045": Rule("workdir", "COPY vers un chemin relatif sans WORKDIR", "Sans WORKDIR, le chemin relatif dépend de l'image de base.", "Ajoute `WORKDIR /app` avant ou donne un chemin absolu."),
    "DL3046": Rule("user", "`useradd` sans `-l` avec un grand UID", "Un grand UID sans `-l` crée un énorme fichier de journal dans l'image.", "Ajoute `-l` à `useradd`."),
    "DL3047": Rule("shell", "`wget` sans `--progress`", "La barre de progression de wget remplit le journal de construction.", "Ajoute `--progress=dot:giga` ou `-q`.", _INFO),
    "DL3048": Rule("labels", "Nom de LABEL invalide", "Les clés de LABEL suivent une convention (minuscules, points, tirets).", "Renomme la clé du LABEL."),
    "DL3057": Rule("healthcheck", "Pas de HEALTHCHECK", "Sans HEALTHCHECK, Docker ne sait pas si l'application répond vraiment.", "Ajoute un `HEALTHCHECK CMD ...` adapté."),
    "DL3059": Rule("run-merge", "Plusieurs RUN d'affilée", "Chaque RUN ajoute une couche à l'image.", "Regroupe les commandes dans un seul RUN avec `&&`.", _INFO),
    "DL3060": Rule("apt-cleanup", "`yarn cache clean` manquant", "Le cache de yarn reste dans la couche.", "Termine le RUN par `&& yarn cache clean`."),
    "DL3061": Rule("dockerfile-basics", "Le Dockerfile ne commence pas par FROM", "Un Dockerfile commence par FROM (ou par ARG qui prépare le FROM).", "Mets l'instruction FROM en premier."),
    "DL3062": Rule("version-pinning", "Versions Go non figées", _PIN_WHY, "Écris `go install module@version`.", _INFO),
    "DL3066": Rule("user", "USER avec un nom plutôt qu'un numéro", "Un nom d'utilisateur n'est pas toujours connu hors de l'image (Kubernetes, volumes), un UID numérique l'est.", "Tu peux écrire `USER 1000` ; pour ce cours, `USER app` convient.", _INFO),
    "DL4000": Rule("labels", "MAINTAINER est obsolète", "MAINTAINER n'est plus maintenue par Docker.", "Remplace-la par `LABEL maintainer=\"toi@example.com\"`.", _INFO),
    "DL4001": Rule("shell", "wget et curl utilisés tous les deux", "Deux outils pour la même tâche, c'est un paquet de trop dans l'image.", "Garde seulement `curl` ou seulement `wget`."),
    "DL4003": Rule("cmd-entrypoint", "Plusieurs CMD", "Seul le dernier CMD compte : les autres sont ignorés.", "Garde un seul CMD, à la fin."),
    "DL4004": Rule("cmd-entrypoint", "Plusieurs ENTRYPOINT", "Seul le dernier ENTRYPOINT compte : les autres sont ignorés.", "Garde un seul ENTRYPOINT."),
    "DL4005": Rule("shell", "Changement de shell avec `ln`", "Remplacer `/bin/sh` par un lien casse des outils de l'image.", "Utilise l'instruction `SHELL [\"/bin/bash\", \"-c\"]`."),
    "DL4006": Rule("shell", "Pipe dans RUN sans `pipefail`", "Sans `pipefail`, une erreur au début d'un pipe `|` passe inaperçue et la construction continue.", "Ajoute `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` avant ce RUN."),
}
_LABEL_CODES = {f"DL30{n}" for n in range(49, 57)} | {"DL3058"}
_LEVELS: dict[str, Severity] = {"error": "error", "warning": "warning", "info": "info", "style": "info"}


def translate(result: HadolintResult) -> Finding:
    """A hadolint result as a French Finding (generic wrapper for codes we do not know)."""
    level = _LEVELS.get(result.level, "warning")
    message = " ".join(result.message.split())[:300]
    rule = HADOLINT_FR.get(result.code)
    if rule is not None:
        return Finding(result.code, rule.severity or level, result.line, rule.title, rule.why, rule.fix, rule.topic)
    if result.code in _LABEL_CODES:
        return Finding(result.code, level, result.line, "LABEL à revoir", f"hadolint signale : « {message} ».", "Corrige la valeur ou le nom du LABEL.", "labels")
    if result.code == "DL1000":
        return Finding(result.code, "error", result.line, "Erreur de syntaxe", f"Docker ne peut pas lire cette ligne (hadolint : « {message} »).", "Vérifie l'orthographe de l'instruction et ses arguments.", "dockerfile-basics")
    if result.code.startswith("SC"):
        return Finding(result.code, level, result.line, f"Remarque ShellCheck sur la commande ({result.code})", f"ShellCheck a repéré un piège du shell : « {message} ».", "Corrige la commande du RUN comme indiqué.", "shell")
    return Finding(result.code, level, result.line, f"Remarque de hadolint ({result.code})", f"hadolint signale : « {message} ».", "Corrige la ligne comme indiqué.", "dockerfile-basics")
