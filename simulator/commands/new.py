"""`new ID`: write a small, valid scenario to start from, with Dutch comments that explain every key."""
from __future__ import annotations

from simulator.commands.catalogue import command_help

import os
from pathlib import Path

from simulator.commands.common import say
from simulator.commands.failures import CommandFailed, UsageError, program_name
from simulator.resources import frozen
from simulator.scenario.library import BUNDLED
from simulator.scenario.loader import SCENARIO_ID

TEMPLATE = """\
# yaml-language-server: $schema={schema}
# ↑ Met deze regel vult VS Code (met de extensie "YAML" van Red Hat) sleutels en acts aan en onderstreept
#   het fouten terwijl je typt. Laat hem staan.
#
# Een nieuw KlantSim-scenario. Alles na een # is uitleg en mag weg. Controleer het bestand met
#   {program} validate {path}
# en speel het in de terminal met
#   {program} play --text --scenario {path}
# De handleiding staat in docs/handleiding-scenario-schrijven.md, alle sleutels in docs/formaat.md.
# Tekst met een dubbele punt (:) of een hekje (#) erin zet je tussen aanhalingstekens: "Let op: zo".

format: 1                      # versie van het bestandsformaat: altijd 1
id: {id}                       # korte naam: kleine letters, cijfers en '-'; uniek per taal
title: "Titel van het gesprek"  # op de scenariokaart
language: nl                   # taal van alle tekst die de speler ziet: nl of en
summary: >                     # korte samenvatting op de kaart; '>' laat de tekst over meer regels lopen
  Een klant belt boos op. Beschrijf hier in twee of drie zinnen wat er aan de hand is
  en wat de speler gaat oefenen.
source: "Waar de situatie vandaan komt"   # mag weg: artikel of praktijkvoorbeeld, staat op de kaart
difficulty: 1                  # moeilijkheid: 1 (makkelijk), 2 of 3 (moeilijk)
channel: phone                 # phone (telefoon), counter (balie), email, letter (brief) of chat
assess: [listen, acknowledge, ask, solve]   # mag weg: welke stappen dit gesprek beoordeelt (zonder: alle zes)
customer:                      # de klant
  name: "mevrouw Jansen"       # hoe de klant heet
  anger: 70                    # boosheid bij de start, 0..100 (zonder: 50)
  trust: 30                    # vertrouwen bij de start, 0..100 (zonder: 50)
start: opening                 # het eerste knooppunt: een naam onder nodes

nodes:                         # de knooppunten: naam (kleine letters, cijfers, '_') met wat er gebeurt
  opening:
    narration: "De telefoon gaat. Je neemt op."   # mag weg: een regieaanwijzing
    say: "Ik bel nu al voor de derde keer! Niemand doet iets!"   # wat de klant zegt
    choices:                   # 2 tot 6 keuzes voor de medewerker
      - text: "Je laat haar uitpraten: 'Vertelt u het maar.'"   # wat de medewerker zegt of doet
        act: listen            # wat de keuze is in de methode: een stap, een grens of een fout
        effect: {{anger: -10, trust: 5}}   # mag weg: verandering van boosheid en vertrouwen
        feedback: "Stap 1, luisteren: laat de klant eerst stoom afblazen."   # uitleg in de nabespreking
        next: begrip           # naar welk knooppunt het gesprek hierna gaat
      - text: "'Mevrouw, wij reageren altijd binnen twee werkdagen.'"
        act: justify           # een fout: rechtvaardigen zet het gesprek terug naar stap 1
        effect: {{anger: 15}}
        set: [verdedigd]       # mag weg: vlaggen die deze keuze zet, te gebruiken in een 'if'
        feedback: "Rechtvaardigen helpt de klant niet en zet het gesprek terug naar stap 1."
        next: begrip

  begrip:
    say: "Ik heb er gewoon een vrije dag voor opgenomen."
    choices:
      - text: "'Vervelend dat u er een vrije dag voor heeft opgenomen.'"
        act: acknowledge       # stap 2: begrip tonen
        effect: {{anger: -10, trust: 10}}
        feedback: "Stap 2, begrip tonen: kort en gemeend."
        next:                  # voorwaardelijk verder: de eerste regel waarvan de 'if' klopt, telt
          - if: "flag:verdedigd"      # alleen als de vlag 'verdedigd' gezet is
            goto: nog_boos     # ... dan gaat het gesprek hierheen
          - goto: vragen       # de laatste regel heeft geen 'if': daar gaat het anders heen
      - text: "'Ik kan er ook niets aan doen, hoor.'"
        act: flat_no           # een fout: een kaal nee zonder oog voor het probleem
        effect: {{anger: 15, trust: -10}}
        feedback: "Een kaal nee laat de klant met lege handen staan."
        next: einde_boos

  nog_boos:
    say: "Dat had u dan meteen moeten zeggen, sukkel!"
    abusive: true              # de klant scheldt of dreigt hier: het antwoord valt onder de grensregels
    choices:
      - text: "'Ik wil u graag helpen, maar niet als u mij uitscheldt.'"
        act: set_limit         # grens aangeven
        effect: {{anger: -5}}
        feedback: "Grens aangeven en de deur openhouden: u wilt wel helpen."
        next: vragen
      - text: "'Nou, zelf sukkel!'"
        act: counter           # een fout: terugslaan
        effect: {{anger: 25, trust: -20}}
        feedback: "Terugschelden maakt het erger en zet het gesprek terug naar stap 1."
        next: einde_boos

  vragen:
    say: "En wat nu?"
    choices:
      - text: "'Even kijken of ik het goed heb: de monteur kwam niet opdagen. Wanneer kunt u wel?'"
        act: ask               # stap 3: samenvatten en doorvragen
        effect: {{anger: -5, trust: 5}}
        feedback: "Stap 3, vragen stellen: samenvatten en een open vraag."
        next: oplossing
      - text: "'Ik zet u morgen om acht uur in de planning.'"
        act: impose            # een fout: zelf een oplossing opleggen
        effect: {{anger: 10}}
        feedback: "Opleggen: de klant is niet gevraagd wat voor haar werkt."
        next: einde_boos

  oplossing:
    say: "Donderdagmiddag kan ik wel."
    choices:
      - text: "'Dan zet ik donderdagmiddag voor u vast. Past dat?'"
        act: solve             # stap 4: de oplossing samen afstemmen
        effect: {{anger: -10, trust: 10}}
        feedback: "Stap 4: een oplossing die bij de klant past, samen afgesproken."
        next: einde_tevreden
      - text: "'Ik geef u ook nog honderd euro, als u maar niet meer boos bent.'"
        act: give_in           # een fout: toegeven aan alles (klantgezwicht)
        effect: {{anger: -20}}
        feedback: "Toegeven aan alles: de klant is tevreden, maar dit is klantgezwicht, niet klantgericht."
        next: einde_tevreden

  einde_tevreden:
    say: "Goed, dan zie ik de monteur donderdag."
    ending: satisfied          # een einde: satisfied, dissatisfied, lost, disconnected of escalated

  einde_boos:
    say: "Laat maar. Ik ga wel ergens anders heen."
    ending: lost               # de klant vertrekt voorgoed
"""


def register(sub) -> None:
    p = sub.add_parser("new", help=command_help("new"))
    p.add_argument("id", metavar="ID", help="the new scenario's id, e.g. pakket-kwijt")
    p.add_argument("-o", "--output", metavar="FILE", help="where to write it (default: scenarios/ID.nl.yaml; "
                   "in the download: ID.nl.yaml in the current folder)")
    p.add_argument("--force", action="store_true", help="overwrite FILE when it exists")
    p.add_argument("--lang", choices=("nl", "en"), default=None,
                   help="language of the messages (default: the system's, else nl)")
    p.set_defaults(run=run)


def template(scenario_id: str, target: Path) -> str:
    """The starting scenario for `target`, its schema line pointing at scenarios/schema.json from there."""
    try:
        schema = os.path.relpath(BUNDLED / "schema.json", target.resolve().parent).replace(os.sep, "/")
    except ValueError:  # Windows: the file is on another drive than the schema
        schema = (BUNDLED / "schema.json").resolve().as_uri()
    return TEMPLATE.format(id=scenario_id, schema=schema, path=target.as_posix(), program=program_name())


def run(args) -> int:
    if not SCENARIO_ID.match(args.id):
        raise UsageError(say("new_bad_id", id=args.id))
    # Without -o: scenarios/ of the folder the trainer works in (the project root), else KlantSim's own; the
    # download's own folder is read-only to us, so there a new scenario goes to the current folder.
    folder = Path("scenarios") if Path("scenarios").is_dir() else Path.cwd() if frozen() else BUNDLED
    target = Path(args.output) if args.output else folder / f"{args.id}.nl.yaml"
    if target.suffix not in (".yaml", ".yml"):
        raise UsageError(say("new_not_yaml", path=target))
    if not target.parent.is_dir():
        raise UsageError(say("no_folder", path=target.parent))
    if target.exists() and not args.force:
        raise CommandFailed(say("new_exists", path=target))
    shown = Path(os.path.relpath(target)) if not args.output else target
    try:
        target.write_text(template(args.id, shown), encoding="utf-8")
    except OSError as exc:
        raise CommandFailed(say("cannot_write", path=target, reason=exc.strerror or exc)) from None
    print(say("new_written", path=shown, id=args.id, command=f"{program_name()} validate {shown.as_posix()}"))
    return 0
