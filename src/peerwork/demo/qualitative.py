"""A demo analysis project at Fjordvik: two short, made-up interviews with peer workers
(data/intervju-*.txt), analysed with Systematic Text Condensation as far as each step
needs to show something: impressions and themes, codes in groups, coded meaning units
(by two analysts, so agreement can be compared), condensates with a golden quote, a
synthesis statement, a memo and a validator's comment.

Project roles: the analyst leads, the peer worker codes as a co-researcher, the
colleague validates and the manager reads. The organisation administrator has no
project role and so, by design, cannot open it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django_scopes import scope

from peerwork.demo.people import Cast
from peerwork.qualitative import services
from peerwork.qualitative.enums import ProjectRole, Step
from peerwork.qualitative.models import Code, CodeGroup, Document, MeaningUnit, Project

TITLE = "Erfaringskonsulenter om det første året"
QUESTION = ("Hva gjør at erfaringskonsulenter finner sin plass i et kommunalt team, og hva "
            "står i veien?")
DATA = Path(__file__).parent / "data"
TRANSCRIPTS = [("intervju-1.txt", "Intervju 1: ny i rollen"),
               ("intervju-2.txt", "Intervju 2: tre år i jobben")]

# (group, its parent group or "", description)
GROUPS = [
    ("Å finne rollen", "", "Hva rollen er, og hvem som bestemmer det."),
    ("Å bli en kollega", "", "Mottakelsen i teamet og veien mot likeverd."),
    ("Tilgang til journalen", "Å bli en kollega", "Når systemene skiller."),
    ("Støtte som holder", "", "Veiledning og fellesskap med andre i samme rolle."),
    ("Endringer i tjenesten", "", "Det tjenesten gjør annerledes etter innspill."),
]
# (code, group)
CODES = [
    ("Uklar stillingsbeskrivelse", "Å finne rollen"),
    ("Oppgaver som glir", "Å finne rollen"),
    ("Å skrive rollen sammen", "Å finne rollen"),
    ("Gjest i teamet", "Å bli en kollega"),
    ("Erfaring som ressurs", "Å bli en kollega"),
    ("Journalen som skille", "Tilgang til journalen"),
    ("Veiledning fra en som har gjort jobben", "Støtte som holder"),
    ("Alene i rollen", "Støtte som holder"),
    ("Kollegagruppe", "Støtte som holder"),
    ("Endret innkallingsbrev", "Endringer i tjenesten"),
    ("Nytt språk om brukerne", "Endringer i tjenesten"),
    ("Lønn og ansiennitet", ""),
]
# (document number, the passage, its codes): the lead's coding
LEAD_UNITS = [
    (0, "Stillingsbeskrivelsen var to linjer, og den ene handlet om å «bidra med erfaring».",
     ["Uklar stillingsbeskrivelse"]),
    (0, "Etter et par måneder skrev vi en ny beskrivelse sammen. Da ble det lettere å si nei "
        "til oppgaver som ikke var mine.", ["Å skrive rollen sammen"]),
    (0, "Det ble fort sånn at jeg fikk kjøreturer og praktiske ærend, fordi jeg hadde tid.",
     ["Oppgaver som glir"]),
    (0, "Jeg følte meg mer som en gjest enn som en kollega.", ["Gjest i teamet"]),
    (0, "Nå blir jeg spurt om råd når noen står fast med en bruker som ikke vil ha hjelp.",
     ["Erfaring som ressurs"]),
    (0, "Det jeg savner, er noen som har gjort den samme jobben.",
     ["Veiledning fra en som har gjort jobben"]),
    (0, "Å være alene om en rolle er slitsomt, for du må forklare den hele tiden.",
     ["Alene i rollen"]),
    (1, "vi endret innkallingsbrevet slik at det ikke lenger høres ut som en dom",
     ["Endret innkallingsbrev"]),
    (1, "Jeg skriver ikke i den, så jeg må spørre andre om ting alle andre bare kan slå opp. "
        "Da blir jeg minnet på at jeg er annerledes.", ["Journalen som skille"]),
    (1, "Erfaringen min ble ikke regnet som ansiennitet, og det synes jeg fortsatt er "
        "urettferdig.", ["Lønn og ansiennitet"]),
    (1, "Der kan jeg si ting jeg ikke ville sagt til lederen. Det har gjort at jeg står i "
        "jobben.", ["Kollegagruppe", "Veiledning fra en som har gjort jobben"]),
    (1, "Jeg hører at kollegaer snakker annerledes om brukerne nå, mindre om hva de ikke "
        "gjør og mer om hva de trenger.", ["Nytt språk om brukerne", "Erfaring som ressurs"]),
]
# The peer co-researcher's coding of the first interview, for the agreement view.
PEER_UNITS = [
    (0, "Ingen visste helt hva jeg skulle gjøre, heller ikke jeg. Stillingsbeskrivelsen var "
        "to linjer", ["Uklar stillingsbeskrivelse"]),
    (0, "Det satt i meg lenge. Jeg følte meg mer som en gjest enn som en kollega.",
     ["Gjest i teamet"]),
    (0, "Å være alene om en rolle er slitsomt", ["Alene i rollen"]),
]
CONDENSATES = {
    "Å finne rollen": (
        "I starten visste ingen hva jeg skulle gjøre, heller ikke jeg, og jeg fikk de "
        "oppgavene som ble til overs. Da lederen og jeg skrev beskrivelsen av rollen sammen, "
        "ble det lettere å si nei til det som ikke var mitt.",
        "Etter et par måneder skrev vi"),
    "Støtte som holder": (
        "Jeg trenger noen som har gjort den samme jobben å snakke med. I en gruppe med andre "
        "erfaringskonsulenter kan jeg si det jeg ikke sier til lederen, og det gjør at jeg "
        "står i jobben.",
        "Der kan jeg si ting"),
}
STATEMENTS = {
    "Å finne rollen": [(
        "Når rollen ikke er beskrevet, fylles den av praktiske oppgaver; en beskrivelse "
        "skrevet sammen med erfaringskonsulenten gir rollen grenser.",
        ["Stillingsbeskrivelsen var to linjer", "Etter et par måneder skrev vi",
         "Det ble fort sånn"])],
}
IMPRESSIONS = {  # one preliminary theme a line
    "analyst": "Rollen er uklar i starten\n"
               "Rollen blir tydeligere når den skrives sammen\n"
               "Å være alene i rollen er tungt\n"
               "Støtte fra andre erfaringskonsulenter",
    "peer": "Gjest før kollega\n"
            "Journalen og lønnen viser at vi fortsatt er annerledes\n"
            "Tjenesten endrer seg når vi blir hørt",
}
THEMES = ["Rollen må beskrives sammen", "Fra gjest til kollega", "Støtte fra likemenn"]
MEMO = ("Journalen som skille",
        "Gjelder bare den ene deltakeren. Se om flere intervjuer bekrefter det før det blir "
        "en egen gruppe.")
COMMENT = (Step.CONDENSATION, "Kondensatet for «Å finne rollen» bør også få med at lederen "
                              "satte av tid hver uke; det står i intervju 1.")


def _span(document: Document, passage: str) -> tuple[int, int]:
    start = document.text.index(passage)  # ValueError: the passage is not in the transcript
    return start, start + len(passage)


def _units(actor: Any, documents: list[Document], codes: dict[str, Code],
           plan: list[tuple[int, str, list[str]]]) -> None:
    for number, passage, names in plan:
        start, end = _span(documents[number], passage)
        services.mark_unit(actor=actor, document=documents[number], start=start, end=end,
                           code_ids=[codes[name].pk for name in names])


def _unit(project: Project, opening: str) -> MeaningUnit:
    with scope(organisation=project.organisation):
        return MeaningUnit.objects.get(project=project, text__startswith=opening,
                                       author=project.created_by)


def _codebook(actor: Any, project: Project) -> tuple[dict[str, CodeGroup], dict[str, Code]]:
    groups: dict[str, CodeGroup] = {}
    for name, parent, description in GROUPS:
        groups[name] = services.create_group(
            actor=actor, project=project, name=name, description=description,
            parent_id=groups[parent].pk if parent else None)
    codes = {name: services.create_code(actor=actor, project=project, name=name,
                                        group_id=groups[group].pk if group else None)
             for name, group in CODES}
    return groups, codes


def _steps_3_and_4(lead: Any, project: Project, groups: dict[str, CodeGroup]) -> None:
    for group, (text, quote) in CONDENSATES.items():
        services.save_condensate(actor=lead, group=groups[group], text=text,
                                 golden_quote_id=_unit(project, quote).pk)
    for group, statements in STATEMENTS.items():
        for text, openings in statements:
            sources = [_unit(project, opening).pk for opening in openings]
            services.add_statement(actor=lead, group=groups[group], text=text, source_ids=sources)
            services.set_quotes(actor=lead, group=groups[group], unit_ids=sources[:2])


def ensure_project(cast: Cast) -> None:
    organisation, lead = cast.organisation, cast.analyst
    with scope(organisation=organisation):
        if Project.objects.filter(organisation=organisation, title=TITLE).exists():
            return
    project = services.create_project(actor=lead, organisation=organisation, title=TITLE,
                                      description=QUESTION)
    for user, role in ((cast.peer, ProjectRole.ANALYST), (cast.colleague, ProjectRole.VALIDATOR),
                       (cast.manager, ProjectRole.VIEWER)):
        services.set_member(actor=lead, project=project, user_id=user.pk, role=role)
    documents = [services.import_document(actor=lead, project=project, filename=name,
                                          data=(DATA / name).read_bytes(), title=title)
                 for name, title in TRANSCRIPTS]
    for who, text in IMPRESSIONS.items():
        services.save_impression(actor=getattr(cast, who), project=project, text=text)
    for theme in THEMES:
        services.add_theme(actor=lead, project=project, title=theme)
    groups, codes = _codebook(lead, project)
    _units(lead, documents, codes, LEAD_UNITS)
    _units(cast.peer, documents, codes, PEER_UNITS)
    services.add_memo(actor=lead, project=project, text=MEMO[1], code_id=codes[MEMO[0]].pk)
    _steps_3_and_4(lead, project, groups)
    services.add_comment(actor=cast.colleague, project=project, step=COMMENT[0], text=COMMENT[1])
