"""The feedback topics a course may map to lessons (course.yaml `feedback_topics`).

The content owns this vocabulary: the loader checks a course against it, and the Dockerfile
feedback engine (bot/feedback) tags each finding and diagnosis with one of these keys.
"""

from __future__ import annotations

__all__ = ["FEEDBACK_TOPICS"]

FEEDBACK_TOPICS: dict[str, str] = {
    "dockerfile-basics": "La structure d'un Dockerfile et ses instructions",
    "base-tag": "Choisir une image de base avec un tag précis",
    "base-image": "Trouver le bon nom d'image de base sur le registre",
    "apt-update": "Installer des paquets : apt-get update et install dans le même RUN",
    "apt-cleanup": "Alléger l'image : nettoyer le cache des paquets",
    "package-install": "Installer des paquets système proprement (apt, apk, yum)",
    "version-pinning": "Figer les versions des paquets installés",
    "pip-cache": "Installer les dépendances Python sans garder le cache pip",
    "layer-order": "L'ordre des couches et le cache de construction",
    "run-merge": "Regrouper les commandes RUN pour limiter les couches",
    "copy-vs-add": "COPY ou ADD : lequel choisir",
    "build-context": "Le contexte de construction et le .dockerignore",
    "workdir": "WORKDIR : le répertoire de travail",
    "cmd-form": "CMD en forme exec (JSON) et la réception des signaux",
    "cmd-entrypoint": "CMD et ENTRYPOINT : ce qui démarre le conteneur",
    "user": "Ne pas tout faire en root : l'instruction USER",
    "expose": "EXPOSE : documenter le port du service",
    "env-secrets": "ENV et les secrets : ce qu'il ne faut pas mettre dans une image",
    "labels": "LABEL et les métadonnées de l'image",
    "shell": "Les commandes shell dans RUN",
    "command-not-found": "Les commandes disponibles dans l'image de base",
    "package-not-found": "Trouver le bon nom de paquet",
    "network": "Le réseau pendant la construction",
    "multi-stage": "Les constructions en plusieurs étapes",
    "healthcheck": "HEALTHCHECK : vérifier qu'un conteneur va bien",
    "port-in-use": "Publier un port : un port de la machine pour un seul conteneur",
    "container-name": "Nommer et retrouver ses conteneurs",
    "container-lifecycle": "Le cycle de vie d'un conteneur : créer, démarrer, arrêter, supprimer",
    "image-name": "Les noms et les tags des images",
    "offline-image": "Les images disponibles dans le labo",
    "lab-images": "Les images du labo hors ligne et leurs limites",
    "docker-daemon": "Le client docker et le démon",
}
