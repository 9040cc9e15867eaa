"""Diagnostics about scenario files: one value per problem, with a code from a catalogue that says the fix.

Every text is a template in Dutch and English. Code that finds a problem passes the catalogue a message key
and its arguments (never a finished sentence); the sentence is made when it is shown, in the language asked
for (`--lang`), else the system's (LC_ALL, LC_MESSAGES, LANG), else Dutch.
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field

from simulator.frozen import slot_setters

TYPE_CHECKING = False   # as typing.TYPE_CHECKING (mypy reads it so): every command imports this module, and
if TYPE_CHECKING:       # importing typing would cost --help a twentieth of its time
    from typing import Literal

    Severity = Literal["error", "warning"]

LANGUAGES = ("nl", "en")


# -- language ----------------------------------------------------------------------------------------------

def system_language() -> str:
    """'en' or 'nl' from the locale variables (the first that names one of the two); Dutch otherwise."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var, "").lower()
        for lang in LANGUAGES:
            if value.startswith(lang):
                return lang
    return "nl"


_language: str | None = None


def set_language(lang: str | None) -> str:
    """Choose the language of messages; None goes back to the system's. Returns the language now in force."""
    global _language
    _language = lang if lang in LANGUAGES else None
    return language()


def language() -> str:
    return _language or system_language()


@dataclass(frozen=True, order=True, slots=True, init=False)
class SourcePos:
    """Where something stands in a file: 1-based line and column, as editors count. (Filled quickly, see
    simulator/frozen.py: the loader makes one for every line or two of a file.)"""

    path: str
    line: int = 1
    column: int = 1

    def __init__(self, path: str, line: int = 1, column: int = 1) -> None:
        _pos_path(self, path)
        _pos_line(self, line)
        _pos_column(self, column)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


_pos_path, _pos_line, _pos_column = slot_setters(SourcePos)


@dataclass(frozen=True)
class Code:
    code: str
    severity: Severity
    nl: str     # what is wrong, in a few words
    en: str
    fix_nl: str  # how to fix it, in words a trainer understands
    fix_en: str

    def title(self, lang: str | None = None) -> str:
        return self.en if (lang or language()) == "en" else self.nl

    def fix(self, lang: str | None = None) -> str:
        return self.fix_en if (lang or language()) == "en" else self.fix_nl


# The catalogue: each code with its severity, its name and its fix, in Dutch and English.
CATALOGUE: dict[str, Code] = {c.code: c for c in [
    Code("KS001", "error", "YAML-fout", "YAML syntax error",
         "Kijk op deze plek naar inspringing, dubbele punten en aanhalingstekens.",
         "Check indentation, colons and quotes at this place."),
    Code("KS002", "error", "bestand niet te lezen", "file cannot be read",
         "Controleer het pad en of het bestand leesbare UTF-8-tekst is.",
         "Check the path and that the file is readable UTF-8 text."),
    Code("KS003", "error", "bestand te groot", "file too large",
         "Een scenariobestand mag hoogstens 5 MB zijn; splits het scenario.",
         "Scenario files may be at most 5 MB; split the scenario."),
    Code("KS004", "error", "ankers en aliassen zijn niet toegestaan", "anchors and aliases are refused",
         "Schrijf de tekst voluit in plaats van '&' en '*' te gebruiken.",
         "Write the text out in full instead of using '&' and '*'."),
    Code("KS005", "error", "dubbele sleutel", "duplicate key",
         "Haal een van de twee weg of geef hem een andere naam; YAML zou stilletjes alleen de laatste houden.",
         "Remove or rename one of the two keys; YAML would silently keep only the last."),
    Code("KS006", "error", "sleutel ontbreekt", "missing key",
         "Voeg de sleutel toe; docs/formaat.md zegt wat erin hoort.",
         "Add the key; docs/formaat.md says what it holds."),
    Code("KS007", "error", "verkeerd soort waarde", "wrong type",
         "Geef de waarde het soort dat docs/formaat.md vraagt.",
         "Give the value the type docs/formaat.md asks for."),
    Code("KS008", "error", "YAML maakte van tekst iets anders", "YAML turned text into another type",
         "Zet de waarde tussen aanhalingstekens, bijvoorbeeld \"No\", dan blijft het tekst.",
         "Put the value in quotes, e.g. \"No\", so it stays text."),
    Code("KS010", "error", "waarde niet toegestaan", "value not allowed",
         "Kies een van de toegestane waarden uit de melding.",
         "Use one of the allowed values listed in the message."),
    Code("KS011", "error", "onbekende act", "unknown act",
         "Kies een act uit docs/formaat.md (listen, acknowledge, apologize, …).",
         "Use an act from docs/formaat.md (listen, acknowledge, apologize, …)."),
    Code("KS012", "error", "onbekend einde", "unknown ending",
         "Kies een van de einden uit de melding.", "Use one of the endings in the message."),
    Code("KS013", "error", "verwijzing naar een knooppunt dat niet bestaat", "reference to a node that does not exist",
         "Verbeter de naam of voeg het knooppunt toe onder nodes.",
         "Correct the name, or add the node under nodes."),
    Code("KS014", "error", "voorwaarde klopt niet", "condition does not parse",
         "Schrijf de voorwaarde zoals \"anger >= 80 or flag:gescholden\".",
         "Write the condition like \"anger >= 80 or flag:gescholden\"."),
    Code("KS015", "error", "voorwaarde met een onbekende variabele", "condition names an unknown variable",
         "Gebruik anger, trust, turns of flag:NAAM.", "Use anger, trust, turns or flag:NAME."),
    Code("KS016", "error", "knooppunt zonder weg naar een einde", "node with no way to any ending",
         "Geef een van de keuzes hier (of verderop) een weg naar een knooppunt met `ending:`.",
         "Give one of the choices from here (or after) a path to a node with `ending:`."),
    Code("KS017", "error", "verkeerd aantal keuzes", "wrong number of choices",
         "Geef een knooppunt dat geen einde is 2 tot 6 keuzes.",
         "Give a node that is not an ending 2 to 6 choices."),
    Code("KS018", "error", "einde met keuzes", "ending node with choices",
         "Een einde sluit het gesprek af: haal de keuzes weg of de `ending`.",
         "An ending node ends the conversation: remove its choices or its `ending`."),
    Code("KS019", "error", "lijst onder next klopt niet", "routing list malformed",
         "Geef elke regel onder `next` een `if:` en een `goto:`, behalve de laatste: die heeft alleen `goto:`.",
         "Give every `next` entry `if:` and `goto:`, except the last, which has only `goto:`."),
    Code("KS020", "error", "getal buiten het bereik", "number out of range",
         "Gebruik een heel getal binnen het bereik uit de melding.",
         "Use a whole number in the range given in the message."),
    Code("KS021", "error", "ongeldige naam", "invalid id",
         "Gebruik kleine letters, cijfers en '-' voor de id van het scenario ('_' in plaats van '-' voor knooppunten).",
         "Use lowercase letters, digits and '-' for the scenario id ('_' instead of '-' for node ids)."),
    Code("KS022", "error", "dubbele scenario-id", "duplicate scenario id",
         "Geef elk scenario in dezelfde taal een eigen `id`.",
         "Give each scenario of the same language its own `id`."),
    Code("KS023", "error", "onbekend formaat", "unsupported format",
         "Zet `format: 1` bovenaan het bestand.", "Write `format: 1` at the top of the file."),
    Code("KS024", "error", "knooppunt zonder say en zonder narration", "node has neither say nor narration",
         "Geef het knooppunt een `say:` (wat de klant zegt) of een `narration:`.",
         "Give the node a `say:` (what the customer says) or a `narration:`."),
    Code("KS025", "error", "onbekende stap in assess", "unknown step in assess",
         "Noem de stappen bij hun act, zoals in de melding.", "List steps by their act name, as in the message."),
    Code("KS026", "error", "geen gewoon bestand", "not a regular file",
         "Geef een scenariobestand dat op schijf staat, geen pipe, apparaat of socket.",
         "Name a scenario file saved on disk, not a pipe, device or socket."),
    Code("KS027", "error", "te diep genest", "nesting too deep",
         "Een scenario heeft maar een paar niveaus van lijsten en sleutels nodig; haal hier de extra haakjes of "
         "inspringing weg.",
         "A scenario needs only a few levels of lists and mappings; remove the extra brackets or indentation here."),
    Code("KS028", "error", "voorwaarde te lang of te ingewikkeld", "condition too long or too complex",
         "Houd een voorwaarde onder 500 tekens, hoogstens 20 haakjes of `not` diep, met getallen van hoogstens 6 "
         "cijfers; verdeel hem over meer regels onder `next`.",
         "Keep a condition under 500 characters, at most 20 parentheses or `not` deep, with numbers of at most 6 "
         "digits; split it over several `next` entries."),
    Code("KS031", "error", "tab in het bestand", "tab in the file",
         "Vervang de tab door spaties (YAML kent alleen spaties om in te springen); in VS Code: "
         "'Indent Using Spaces'.",
         "Replace the tab by spaces (YAML indents with spaces only); in VS Code: 'Indent Using Spaces'."),
    Code("KS032", "error", "dubbele punt in tekst zonder aanhalingstekens", "colon in unquoted text",
         "Zet de tekst tussen aanhalingstekens: say: \"Let op: dit is tekst\".",
         "Put the text in quotes: say: \"Note: this is text\"."),
    Code("KS033", "error", "# in tekst zonder aanhalingstekens", "'#' in unquoted text",
         "Zet de tekst tussen aanhalingstekens: YAML leest alles vanaf ' #' als commentaar.",
         "Put the text in quotes: YAML reads everything from ' #' on as a comment."),
    Code("KS034", "error", "aanhalingsteken niet gesloten", "quote not closed",
         "Sluit de tekst af met hetzelfde aanhalingsteken als waarmee hij begint; een \" in de tekst "
         "schrijf je als \\\" (of zet de tekst tussen ' ').",
         "End the text with the same quote it starts with; write a \" inside the text as \\\" "
         "(or put the text in ' ')."),
    Code("KS035", "error", "inspringing klopt niet", "indentation does not line up",
         "Laat sleutels die bij elkaar horen precies even ver inspringen (met spaties), zoals text:, act: "
         "en next: van een keuze.",
         "Indent keys that belong together by exactly the same number of spaces, like text:, act: and "
         "next: of one choice."),
    Code("KS101", "warning", "knooppunt onbereikbaar", "node cannot be reached",
         "Verwijs ernaar vanuit een keuze, of haal het weg.", "Link to it from a choice, or remove it."),
    Code("KS102", "warning", "geen route haalt 100", "no path can reach 100",
         "Voeg een route toe die elke beoordeelde stap in volgorde zet zonder fout (stap 6 ook), of haal een stap "
         "die het scenario niet kan bieden uit `assess:`.",
         "Add a path that takes every assessed step in order without a mistake (step 6 too), or drop a step the "
         "scenario cannot offer from `assess:`."),
    Code("KS103", "warning", "keuze zonder feedback", "choice without feedback",
         "Voeg `feedback:` toe die de stap of regel noemt en waarom; de nabespreking laat hem zien.",
         "Add `feedback:` that names the step or rule and why; the debrief shows it."),
    Code("KS104", "warning", "het gesprek kan vastlopen", "the conversation can get stuck",
         "Zorg dat op elk knooppunt minstens één keuze wordt aangeboden (een `if` die altijd klopt, of geen) "
         "en dat een route naar een knooppunt met `ending:` leidt.",
         "Make sure that at every node at least one choice is offered (an `if` that always holds, or none) "
         "and that some path leads to a node with `ending:`."),
    Code("KS105", "error", "onbekende sleutel", "unknown key",
         "Verbeter de spelling of haal de sleutel weg; docs/formaat.md noemt alle sleutels.",
         "Correct the spelling or remove the key; docs/formaat.md lists every key."),
    Code("KS106", "warning", "de analyse is afgebroken", "the analysis was cut off",
         "Laat fouten naar eigen knooppunten gaan die weer op de hoofdlijn uitkomen in plaats van terug te "
         "lussen, of lees anger/trust in minder voorwaarden.",
         "Let mistakes go to their own nodes that rejoin the main line instead of looping back, or read "
         "anger/trust in fewer conditions."),
    Code("KS107", "warning", "het goede antwoord is de langste keuze", "the right answer is the longest option",
         "Schrijf de foute keuzes zoals een moe, welwillend medewerker ze echt zegt (vaak lang en vriendelijk) en "
         "houd de goede eenvoudig, zodat de lengte niets verraadt.",
         "Write the wrong options as a tired, well-meaning agent really says them (often long and friendly) and "
         "keep the right ones plain, so length gives nothing away."),
    Code("KS108", "warning", "maar één keuze is geen fout", "only one option is not a mistake",
         "Voeg een tweede keuze toe die geen fout is (nog een goed antwoord, een stap te vroeg, een neutraal "
         "antwoord), zodat het antwoord niet door wegstrepen te vinden is.",
         "Add a second option that is not a mistake (another good answer, a step taken too early, a neutral "
         "reply), so the answer cannot be found by elimination."),
    Code("KS111", "warning", "vlag wordt gelezen maar nergens gezet", "flag is read but never set",
         "Zet de vlag met `set: [NAAM]` bij een keuze, of verbeter de spelling.",
         "Set the flag with `set: [NAME]` on a choice, or correct the spelling."),
    Code("KS112", "warning", "vlag wordt gezet maar nergens gelezen", "flag is set but never read",
         "Gebruik de vlag in een `if:` (flag:NAAM), of haal hem weg.",
         "Use the flag in an `if:` (flag:NAME), or remove it."),
    Code("KS113", "warning", "voorwaarde kan nooit kloppen", "condition can never hold",
         "anger en trust lopen van 0 tot 100 en turns vanaf 0: pas het getal of de vergelijking aan.",
         "anger and trust run from 0 to 100 and turns from 0: change the number or the comparison."),
    Code("KS114", "warning", "voorwaarde klopt altijd", "condition always holds",
         "Haal de `if` weg, of pas het getal aan zodat hij iets onderscheidt.",
         "Remove the `if`, or change the number so that it tells cases apart."),
]}


# -- messages: what was found, with arguments; {name} is filled in -------------------------------------------
MESSAGES: dict[str, tuple[str, str]] = {
    # YAML
    "yaml_error": ("YAML kan het bestand hier niet lezen ({problem})", "YAML cannot read the file here ({problem})"),
    "tab": ("op regel {line} staat een tab", "line {line} holds a tab"),
    "colon_in_text": ("in de tekst na '{key}:' staat nog een dubbele punt met een spatie erachter, en YAML denkt "
                      "dat daar een nieuwe sleutel begint", "the text after '{key}:' holds another colon followed "
                      "by a space, and YAML takes that for the start of a new key"),
    "hash_in_text": ("{what} houdt op bij '#': '{rest}' valt weg", "{what} stops at '#': '{rest}' is left out"),
    "hash_empty": ("{what} begint met '#', dus YAML leest de hele tekst als commentaar en de waarde is leeg",
                   "{what} starts with '#', so YAML reads the whole text as a comment and the value is empty"),
    "unclosed_quote": ("het aanhalingsteken ({quote}) op regel {line} wordt niet gesloten",
                       "the quote ({quote}) at line {line} is never closed"),
    "quote_inside": ("de tekst begint met {quote} en bevat er zelf nog een, dus YAML denkt dat de tekst daar al "
                     "ophoudt", "the text starts with {quote} and holds another one, so YAML thinks the text ends "
                     "there"),
    "bad_indent": ("deze regel springt {spaces} spaties in, de sleutel op regel {line} erboven {above}",
                   "this line is indented by {spaces} spaces, the key on line {line} above it by {above}"),
    "bad_indent_first": ("deze regel springt {spaces} spaties in, maar hoort niet bij de regels erboven",
                         "this line is indented by {spaces} spaces but does not belong to the lines above"),
    "alias_used": ("een alias ('*') herhaalt een waarde die elders verankerd is",
                   "an alias ('*') repeats a value anchored elsewhere"),
    "anchor_set": ("hier staat een anker ('&{anchor}')", "an anchor ('&{anchor}') is set here"),
    "alias_problem": ("hier staat een alias ('*') naar een anker dat niet bestaat of twee keer bestaat ({problem})",
                      "an alias ('*') here names an anchor that does not exist or exists twice ({problem})"),
    # files
    "no_such_file": ("dit bestand bestaat niet", "no such file"),
    "is_folder": ("dit is een map, geen bestand", "this is a folder, not a file"),
    "os_error": ("{reason}", "{reason}"),
    "not_utf8": ("het bestand is geen UTF-8-tekst", "the file is not UTF-8 text"),
    "too_large": ("het bestand is {size} MB", "the file is {size} MB"),
    "empty_file": ("het bestand is leeg", "the file is empty"),
    "not_regular_file": ("dit is {kind}, geen gewoon bestand", "this is {kind}, not a regular file"),
    "larger_than": ("het bestand is groter dan {size} MB", "the file is larger than {size} MB"),
    "nesting_too_deep": ("lijsten en sleutels zijn hier meer dan {limit} niveaus diep genest",
                         "lists and mappings nest more than {limit} levels deep here"),
    # keys and types
    "not_mapping": ("{what} moet een lijst van sleutels met waarden zijn (sleutel: waarde), niet {kind}",
                    "{what} must be a mapping of keys to values, not {kind}"),
    "key_not_word": ("sleutels in {what} moeten gewone woorden zijn", "keys in {what} must be plain words"),
    "duplicate_key": ("sleutel '{key}' staat twee keer in {what} (de eerste keer op regel {line})",
                      "key '{key}' appears twice in {what} (first at line {line})"),
    "unknown_key": ("onbekende sleutel '{key}' in {what}{suggest}; bekende sleutels: {known}",
                    "unknown key '{key}' in {what}{suggest}; known keys: {known}"),
    "empty": ("{what} is leeg", "{what} is empty"),
    "no_value": ("{what} heeft geen waarde", "{what} has no value"),
    "yaml_other_type": ("{what} is {value}, en YAML leest dat als {kind}, niet als tekst",
                        "{what} is {value}, which YAML reads as {kind}, not text"),
    "must_be_text": ("{what} moet tekst zijn, niet {kind}", "{what} must be text, not {kind}"),
    "number_range": ("{what} is {value}; het moet een heel getal van {low} tot {high} zijn",
                     "{what} is {value}; it must be a whole number from {low} to {high}"),
    "must_be_number": ("{what} moet een heel getal van {low} tot {high} zijn, niet {kind}",
                       "{what} must be a whole number from {low} to {high}, not {kind}"),
    "must_be_bool": ("{what} moet true of false zijn, niet {kind}", "{what} must be true or false, not {kind}"),
    "not_allowed": ("{what}: '{value}' bestaat niet{suggest}; kies uit: {allowed}",
                    "{what}: '{value}' is not known{suggest}; use one of: {allowed}"),
    "condition_error": ("{what} ('{source}'): {problem}", "{what} ('{source}'): {problem}"),
    "no_keys": ("het bestand heeft geen van de scenariosleutels (format, id, title, …)",
                "the file has none of the scenario keys (format, id, title, …)"),
    "missing_top": ("sleutel '{key}' ontbreekt bovenaan het scenario",
                    "missing key '{key}' at the top of the scenario"),
    "bad_format": ("format is {value}; deze versie leest format 1", "format is {value}; this game reads format 1"),
    "bad_scenario_id": ("id '{value}' is niet geldig, bijvoorbeeld 'pakket-kwijt' wel",
                        "id '{value}' is not valid ('pakket-kwijt' would be)"),
    "start_unknown": ("start noemt knooppunt '{target}', maar dat bestaat niet{suggest}",
                      "start names node '{target}', which does not exist{suggest}"),
    "next_unknown": ("next noemt knooppunt '{target}', maar dat bestaat niet{suggest}",
                     "next names node '{target}', which does not exist{suggest}"),
    "assess_not_list": ("assess moet een lijst van stappen zijn, niet {kind}",
                        "assess must be a list of steps, not {kind}"),
    "customer_no_name": ("de klant heeft geen 'name'", "customer has no 'name'"),
    "nodes_empty": ("nodes is leeg; geef minstens een startknooppunt en een einde",
                    "nodes is empty; add at least a start node and an ending"),
    "node_id_type": ("knooppuntnaam {value} leest YAML als {kind}", "node id {value} is read by YAML as {kind}"),
    "bad_node_id": ("knooppuntnaam '{value}' is niet geldig", "node id '{value}' is not valid"),
    "no_say": ("knooppunt '{node}' heeft geen 'say' en geen 'narration'",
               "node '{node}' has neither 'say' nor 'narration'"),
    "ending_with_choices": ("knooppunt '{node}' is een einde en heeft ook keuzes",
                            "node '{node}' is an ending and also has choices"),
    "choices_not_list": ("de keuzes van knooppunt '{node}' moeten een lijst zijn, niet {kind}",
                         "choices of node '{node}' must be a list, not {kind}"),
    "choice_count": ("knooppunt '{node}' heeft {count} keuzes; geef het er 2 tot 6",
                     "node '{node}' has {count} choices; give it 2 to 6"),
    "no_choices": ("knooppunt '{node}' heeft geen keuzes en geen einde; geef het 2 tot 6 keuzes of een `ending:`",
                   "node '{node}' has no choices and no ending; give it 2 to 6 choices or an `ending:`"),
    "choice_missing": ("{what} heeft geen '{key}'", "{what} has no '{key}'"),
    "bad_flag": ("vlag '{value}' is geen geldige naam; gebruik letters, cijfers, '_' of '-'",
                 "flag '{value}' is not a valid name; use letters, digits, '_' or '-'"),
    "no_feedback": ("{what} heeft geen feedback", "{what} has no feedback"),
    "next_shape": ("next van {what} moet een knooppuntnaam zijn of een lijst van {{if, goto}}",
                   "next of {what} must be a node id or a list of {{if, goto}}"),
    "next_no_goto": ("regel {index} onder next van {what} heeft geen 'goto'",
                     "next entry {index} of {what} has no 'goto'"),
    "next_last_if": ("de laatste regel onder next van {what} mag geen 'if' hebben (het is de route 'anders')",
                     "the last next entry of {what} must not have 'if' (it is the fallback, 'otherwise')"),
    "next_needs_if": ("regel {index} onder next van {what} heeft een 'if' nodig (alleen de laatste heeft er geen)",
                      "next entry {index} of {what} needs 'if' (only the last entry has none)"),
    # checks
    "unreachable": ("knooppunt '{node}' is niet te bereiken vanaf start '{start}'",
                    "node '{node}' cannot be reached from start '{start}'"),
    "unreachable_conditions": ("knooppunt '{node}' is niet te bereiken: geen route voldoet aan de voorwaarden "
                               "die hierheen leiden", "node '{node}' cannot be reached: no path satisfies the "
                               "conditions that lead here"),
    "dead_end": ("vanaf knooppunt '{node}' is er geen weg naar een einde", "node '{node}' has no way to any ending"),
    "stuck": ("het gesprek kan vastlopen bij knooppunt '{node}': soms klopt de `if` van geen enkele keuze",
              "the conversation can get stuck at node '{node}': sometimes none of its choices' `if` holds"),
    "no_ending_reachable": ("vanaf start is geen einde te bereiken", "no ending can be reached from start"),
    "search_cut": ("de zoektocht stopte na {states} toestanden; de beste route en de scores kunnen lager uitvallen "
                   "dan het echte maximum", "the search stopped after {states} states; the best path and the "
                   "scores may fall short of the real maximum"),
    "best_misses": ("de beste route ({choices}) zet de beoordeelde stap(pen) {steps} niet",
                    "the best path ({choices}) does not take the assessed step(s) {steps}"),
    "duplicate_id": ("id '{id}' ({language}) staat ook in {other}", "id '{id}' ({language}) is also used by {other}"),
    "longest_is_right": ("bij {longest} van de {mixed} knooppunten met goede en foute antwoorden is de langste "
                         "keuze een goede ({names}), dus een speler kan op lengte kiezen",
                         "at {longest} of the {mixed} nodes with right and wrong answers the longest option is a "
                         "right one ({names}), so a player can pick by length"),
    "only_one_plausible": ("bij knooppunt '{node}' is elke keuze behalve '{act}' een fout ({wrong}), dus het goede "
                           "antwoord is door wegstrepen te vinden", "at node '{node}' every option but '{act}' is a "
                           "mistake ({wrong}), so the right answer can be found by elimination"),
    "best_scores": ("de beste route ({choices}) haalt {score}{why}", "the best path ({choices}) scores {score}{why}"),
    "best_why1": (": {a}", ": {a}"),
    "best_why2": (": {a}; {b}", ": {a}; {b}"),
    "why_misses": ("hij mist de beoordeelde stap(pen) {steps}", "it misses the assessed step(s) {steps}"),
    "why_breaks": ("hij overtreedt {rules}", "it breaks {rules}"),
    "flag_never_set": ("vlag '{flag}' wordt gelezen in {what}, maar geen keuze zet hem{suggest}",
                       "flag '{flag}' is read in {what}, but no choice sets it{suggest}"),
    "flag_never_read": ("vlag '{flag}' wordt gezet, maar geen `if` leest hem",
                        "flag '{flag}' is set, but no `if` reads it"),
    "never_holds": ("{what} ('{source}') kan nooit kloppen", "{what} ('{source}') can never hold"),
    "always_holds": ("{what} ('{source}') klopt altijd", "{what} ('{source}') always holds"),
}

# Phrases used inside messages ("what" a value is, and what kind YAML made of it).
PHRASES: dict[str, tuple[str, str]] = {
    "scenario": ("het scenario", "the scenario"), "customer": ("customer", "customer"), "nodes": ("nodes", "nodes"),
    "node": ("knooppunt '{node}'", "node '{node}'"),
    "choice": ("keuze {number} van knooppunt '{node}'", "choice {number} of node '{node}'"),
    "field": ("{key}", "{key}"),
    "field_of": ("{key} van {what}", "{key} of {what}"),
    "effect_of": ("effect van {what}", "effect of {what}"),
    "next_entry": ("regel {index} onder next van {what}", "next entry {index} of {what}"),
    "condition_of": ("de voorwaarde van {what}", "condition of {what}"),
    "route_condition": ("de voorwaarde bij 'goto: {target}' van {what}", "the condition of 'goto: {target}' in {what}"),
    "flag_in": ("vlag in {what}", "flag in {what}"),
    "assess_step": ("stap in assess", "assess step"),
    "act_of": ("act van {what}", "act of {what}"),
    "ending_of": ("einde van knooppunt '{node}'", "ending of node '{node}'"),
    "text_kind": ("tekst", "text"), "list_kind": ("een lijst", "a list"),
    "mapping_kind": ("sleutels met waarden", "a mapping"),
    "number_kind": ("een getal", "a number"), "bool_kind": ("true/false", "true/false"), "null_kind": ("leeg", "empty"),
    "float_kind": ("een kommagetal", "a decimal number"), "date_kind": ("een datum", "a date"),
    "valued_kind": ("{kind} ({value})", "{kind} ({value})"),
    "suggest": (" (bedoel je '{name}'?)", " (did you mean '{name}'?)"),
    # condition problems (simulator.scenario.conditions)
    "cond_char": ("onverwacht teken {char}", "unexpected character {char}"),
    "cond_flag_name": ("na 'flag:' hoort de naam van een vlag, bijvoorbeeld flag:gewaarschuwd",
                       "'flag:' must be followed by a flag name, e.g. flag:gewaarschuwd"),
    "cond_join": ("onverwacht {token}; verbind voorwaarden met 'and' of 'or'",
                  "unexpected {token}; join conditions with 'and' or 'or'"),
    "cond_close": ("hier hoort een ')' die de '(' op kolom {opened} sluit",
                   "expected ')' to close the '(' at column {opened}"),
    "cond_number": ("na {op} hoort een heel getal", "expected a whole number after {op}"),
    "cond_var": ("hier hoort anger, trust of turns", "expected anger, trust or turns"),
    "cond_short": ("de voorwaarde houdt te vroeg op", "the condition ends too early"),
    "cond_empty": ("de voorwaarde is leeg", "the condition is empty"),
    "cond_unexpected": ("onverwacht {token}; verwacht een vergelijking, flag:NAAM, 'not' of '('",
                        "unexpected {token}; expected a comparison, flag:NAME, 'not' or '('"),
    "cond_op": ("hier hoort een vergelijking (<, <=, >, >=, ==, !=)", "expected a comparison (<, <=, >, >=, ==, !=)"),
    "cond_too_long": ("de voorwaarde is {length} tekens lang; de grens is {limit}",
                      "the condition is {length} characters long; the limit is {limit}"),
    "cond_too_many_digits": ("het getal {number}… heeft meer dan {limit} cijfers",
                             "the number {number}… has more than {limit} digits"),
    "cond_too_deep": ("de voorwaarde nest meer dan {limit} haakjes of 'not' diep",
                      "the condition nests more than {limit} parentheses or 'not' deep"),
    "file_kind_pipe": ("een pipe (FIFO)", "a pipe (FIFO)"), "file_kind_device": ("een apparaat", "a device"),
    "file_kind_socket": ("een socket", "a socket"), "file_kind_other": ("iets bijzonders", "something special"),
    "cond_unknown_var": ("onbekende variabele {name}", "unknown variable {name}"),
}


@dataclass(frozen=True)
class T:
    """A phrase to be put into words later, in the language of the message it goes into."""

    key: str
    args: dict[str, object] = field(default_factory=dict, compare=False)

    def __init__(self, phrase: str, /, **args: object) -> None:
        object.__setattr__(self, "key", phrase)
        object.__setattr__(self, "args", args)

    def render(self, lang: str) -> str:
        return words(self.key, lang, self.args)


def _fill(value: object, lang: str) -> object:
    if isinstance(value, T):
        return value.render(lang)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(_fill(v, lang)) for v in value)
    return value


def words(key: str, lang: str | None = None, args: dict[str, object] | None = None, /) -> str:
    """The message or phrase `key` in `lang`, its {arguments} filled in (phrases within put into words too)."""
    lang = lang or language()
    nl, en = MESSAGES.get(key) or PHRASES[key]
    template = en if lang == "en" else nl
    return template.format(**{k: _fill(v, lang) for k, v in (args or {}).items()})


@dataclass(frozen=True)
class Diagnostic:
    code: str
    pos: SourcePos
    key: str
    args: dict[str, object] = field(default_factory=dict, compare=False, hash=False)

    @property
    def severity(self) -> Severity:
        return CATALOGUE[self.code].severity

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def render(self, lang: str | None = None) -> str:
        """What was found, then how to fix it, in `lang` (default: the language in force)."""
        lang = lang or language()
        return f"{words(self.key, lang, self.args)}. {CATALOGUE[self.code].fix(lang)}"

    @property
    def message(self) -> str:
        return self.render()

    def line(self, lang: str | None = None) -> str:
        """`PATH:LINE:COLUMN: error: MESSAGE [CODE]`: the editor format; `error`/`warning` stay English in
        every language, since editors and CI match on them."""
        return one_line(f"{self.pos}: {self.severity}: {self.render(lang)} [{self.code}]")

    def __str__(self) -> str:
        return self.line()

    def to_json(self, lang: str | None = None) -> dict[str, object]:
        return {"code": self.code, "severity": self.severity, "path": self.pos.path, "line": self.pos.line,
                "column": self.pos.column, "message": self.render(lang)}


# Every character that ends a line for some reader (terminals, editors, str.splitlines) or is invisible control.
_LINE_BREAKING = {c: f"\\x{c:02x}" for c in [*range(0x20), 0x7f, *range(0x80, 0xa0)]}
_LINE_BREAKING.update({ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t", 0x2028: "\\u2028", 0x2029: "\\u2029"})


def one_line(text: str) -> str:
    """The text with line breaks and control characters written as escapes (`\\n`), so it stays on one line."""
    text = text.translate(_LINE_BREAKING)
    if not text.isascii():   # a file name that is not UTF-8 holds lone surrogates, which no stream can print
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def diag(code: str, pos: SourcePos, key: str, /, **args: object) -> Diagnostic:
    """A diagnostic: the catalogue's `code`, found at `pos`, described by message `key` with `args`."""
    return Diagnostic(code, pos, key, args)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.is_error for d in diagnostics)
