"""The support catalogue: the 2019 national survey's questions 1-14, as data.

Source: "Stöd till anhöriga - organisering, förekomst och delaktighet" (enkät
2019-06-10), seed 001 L4751-5100, summarised in shared/domain/seed-001-notes.md §1.
The Swedish texts are the survey's own wording, kept verbatim (line breaks of the
print joined) and deliberately not wrapped in gettext: they are the questionnaire,
not the interface. Only the machine values of the answers (``ja``, ``nej``, ...) are ours.

A unit's answers are keyed by the item codes made here (:meth:`Question.row_code`,
:data:`ITEMS`); :mod:`followup.catalogue.services` writes them and
:mod:`followup.catalogue.selectors` reads them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum


@dataclass(frozen=True)
class Scale:
    code: str
    options: tuple[tuple[str, str], ...]

    def label(self, value: str) -> str:
        return dict(self.options).get(value, value)


S1 = Scale("S1", (("ja", "Ja"), ("nej", "Nej")))
S2 = Scale("S2", (("ja", "Ja"), ("nej", "Nej"), ("ej_relevant", "Ej relevant")))
S3 = Scale(
    "S3",
    (
        ("ingen", "Nej, vi har ingen samverkan"),
        ("informerar", "Vi informerar om dem och föreslår dem till anhöriga"),
        ("gemensamma", "Vi har gemensamma aktiviteter med dem, ex gruppverksamhet och planeringar"),
    ),
)
SCALES = {scale.code: scale for scale in (S1, S2, S3)}


class RowKind(Enum):
    CHOICE = "choice"  # an answer on the question's scale
    CHOICE_TEXT = "choice_text"  # an answer and a free text ("... Ange vad:")
    # "Annat:": the row is itself the free-text prompt, not a Ja/Nej with a text. What is
    # typed is the answer; it is stored as "ja" with the text (nothing typed: unanswered).
    OTHER_TEXT = "other_text"
    NUMBER = "number"  # a whole number ("Ange antal kostnadsfria avlösartimmar ...")


@dataclass(frozen=True)
class Row:
    text: str
    kind: RowKind = RowKind.CHOICE


@dataclass(frozen=True)
class Question:
    number: int
    section: str
    text: str
    scale: Scale
    # No rows: the question is answered once on its scale (questions 2 and 4).
    rows: tuple[Row, ...] = ()
    # Every question of the survey ends with "Kommentar".
    comment_label: str = "Kommentar"

    @property
    def code(self) -> str:
        return str(self.number)

    @property
    def comment_code(self) -> str:
        return f"{self.number}.kommentar"

    def row_code(self, index: int) -> str:
        return f"{self.number}.{index}"

    def items(self) -> Iterator[tuple[str, str, RowKind]]:
        """(item code, text, kind) of every answerable item, comment last."""
        if not self.rows:
            yield self.code, self.text, RowKind.CHOICE
        for index, row in enumerate(self.rows, start=1):
            yield self.row_code(index), row.text, row.kind
        yield self.comment_code, self.comment_label, RowKind.CHOICE_TEXT


@dataclass(frozen=True)
class Section:
    code: str
    title: str
    preamble: str = ""
    questions: tuple[Question, ...] = field(default_factory=tuple)


ANNAT = Row("Annat:", RowKind.OTHER_TEXT)

# The questionnaire's head (seed 001 L4751-4758), its three definitions that respondents
# answer by (L4776-4786, the print's line breaks and hyphenation joined) and its
# identification fields (L4796-4798).
SURVEY_KIND, SURVEY_DATE = "Enkät", "2019-06-10"
SURVEY_TITLE = "Stöd till anhöriga - organisering, förekomst och delaktighet"
DEFINITIONS: tuple[str, ...] = (
    "Med anhörig avses person som stödjer, hjälper, ger vård eller omsorg till en närstående person som är "
    "långvarigt sjuk, äldre, har en funktionsnedsättning, psykisk ohälsa eller har ett beroende eller "
    "missbruksproblematik.",
    "Med närstående avses den person som tar emot omsorg eller vård enligt ovanstående.",
    "Med anhörigperspektiv avses att rådande rutiner, riktlinjer och vid bedömning beaktas såväl enskildas som "
    "anhörigas behov och kunskap.",
)
MUNICIPALITY_LABEL = "Kommun"
DISTRICT_LABEL = "Om du tillhör särskild stadsdels- eller kommundelsförvaltning, ange vilken"

A = "A"
B = "B"
C = "C"

QUESTIONS: tuple[Question, ...] = (
    Question(
        1,
        A,
        "Vilka målgrupper ingår i din förvaltning? (Svara för alla områden)",
        S1,
        (
            Row("Personer med funktionsnedsättning"),
            Row("Äldre"),
            Row("Personer med somatisk sjukdom"),
            Row("Personer med psykisk ohälsa"),
            Row("Personer med beroende- och missbruk"),
            Row("Barn och ungdom"),
            ANNAT,
        ),
    ),
    Question(
        2,
        A,
        "Har förvaltningen i måldokument, verksamhetsplan eller motsvarande beskrivit hur verksamheten ska "
        "uppfylla intentionerna i 5 kap 10 § SoL, vad gäller stöd till anhöriga",
        S1,
    ),
    Question(
        3,
        A,
        "Finns det i förvaltningen personal som arbetar 25 % eller mer av sin arbetstid specifikt med stöd till "
        "anhöriga? (ange vad som stämmer för samtliga alternativ)",
        S1,
        (
            Row("Nej, det finns ingen personal"),
            Row("Ja, det finns 1-2 personal"),
            Row("Ja, det finns 3-5 personal"),
            Row("Ja, det finns 6-10 personal"),
            Row("Ja, det finns mer än 10 personal"),
        ),
    ),
    Question(
        4,
        A,
        "Finns det avsatta funktioner i förvaltningen som arbetar 25 % eller mer av sin arbetstid specifikt med "
        "strategiska frågor avseende stöd till anhöriga",
        S1,
    ),
    Question(
        5,
        A,
        "Hur beskriver ni er samverkan med följande huvudmän/organisationer för att erbjuda stöd till anhöriga?",
        S3,
        (
            Row("Andra förvaltningar inom kommunen"),
            Row("Sjukvården/somatik"),
            Row("Sjukvården/psykiatri"),
            Row("Vårdcentraler/Primärvård"),
            Row("Försäkringskassan"),
            Row("Arbetsförmedlingen"),
            Row("Anhörigföreningar"),
            Row("Patient- och Brukarföreningar"),
            Row("Religiösa samfund"),
            Row("Studieförbund"),
            Row("Hjälporganisationer ex Röda Korset, Rädda Barnen, Bris osv"),
            Row("Andra föreningar/organisationer"),
            Row("Privata aktörer och entreprenörer"),
        ),
    ),
    Question(
        6,
        B,
        "Erbjuder er förvaltning information och utbildning till anhöriga? "
        "(Ange vad som stämmer för samtliga alternativ)",
        S1,
        (
            Row(
                "Kontinuerlig information till allmänheten om de olika stödformer till anhöriga som finns tillgängliga"
            ),
            Row("Information om stöd till anhöriga från civilsamhället (föreningar, privata aktörer mfl.)"),
            Row("Information om stöd till anhöriga på andra språk än svenska"),
            Row(
                "Information om stöd till anhöriga som finns tillgängligt för personer med syn- eller hörselnedsättning"
            ),
            Row("Information och utbildning om att ge vård och omsorg till närstående."),
            Row("Information och utbildning om olika sjukdomstillstånd/diagnoser"),
            Row("Information och utbildning om beroende/missbruk"),
            Row("Information och utbildning om att som anhörig kunna bemästra sin situation"),
            ANNAT,
        ),
    ),
    Question(
        7,
        B,
        "Vilka olika typer av avlösning finns tillgängligt för anhöriga i din förvaltnings regi? "
        "(Ange vad som stämmer för samtliga alternativ)",
        S2,
        (
            Row("Avlösarservice, LSS"),
            Row("Annan avlösningsform, LSS"),
            Row("Annat biståndsbedömt stöd som utgår från kommunens riktlinjer"),
            Row("Avlösning i hemmet, SoL"),
            Row("Dagverksamhet för den närstående, SoL"),
            Row("Korttidsboende, SoL"),
            Row("Växelvård, SoL"),
            Row("Annan avlösningsform, SoL. Ange vad:", RowKind.CHOICE_TEXT),
            Row("Ange antal kostnadsfria avlösartimmar SoL, per individ och månad:", RowKind.NUMBER),
        ),
    ),
    Question(
        8,
        B,
        "Vilka typer av psykosocialt stöd finns tillgängligt för anhöriga i din förvaltnings regi? "
        "(Ange vad som stämmer för samtliga alternativ)",
        S2,
        (
            Row("Individuella samtal, vuxna"),
            Row("Individuella samtal, barn (under 18 år)"),
            Row("Familjesamtal"),
            Row("Gruppverksamhet, vuxna"),
            Row("Gruppverksamhet, barn (under 18 år)"),
            Row("Efterlevandestöd, vuxna"),
            Row("Efterlevandestöd, barn (under 18 år)"),
            Row("Internetbaserat stöd, ex grupper, chat, forum vuxna"),
            Row("Internetbaserat stöd ex grupper, chat, forum barn (under 18 år)"),
            Row("Möteslokal/café vuxna"),
            Row("Möteslokal/fritidsverksamhet barn (under 18 år)"),
            Row("Möjligheter till stöd för anhöriga på annat språk än svenska"),
            ANNAT,
        ),
    ),
    Question(
        9,
        B,
        "Vilka typer av ekonomiskt stöd/bidrag finns tillgängligt för anhöriga i din förvaltnings regi? "
        "(Ange vad som stämmer för samtliga alternativ)",
        S2,
        (
            Row("Kommunalt generellt bidrag, (ex anhörigbidrag, hemvårdsbidrag)"),
            Row(
                "Individuellt biståndsbedömt ekonomiskt stöd ex vid deltagande i aktiviteter till anhöriga vid "
                "beroendevård av närstående (avser ej ekonomiskt bistånd/socialbidrag)"
            ),
            ANNAT,
        ),
    ),
    Question(
        10,
        B,
        "Vilka olika typer av stöd för den fysiska hälsan finns tillgängligt för anhöriga i din förvaltnings "
        "regi? (Ange vad som stämmer för samtliga alternativ)",
        S2,
        (
            Row("Må bra aktiviteter (ex stavgång, vattengymnastik, massage)"),
            Row("Hälsoundersökning"),
            Row("Hälsorådgivning av legitimerad personal"),
            ANNAT,
        ),
    ),
    Question(
        11,
        B,
        "Vilka olika typer av välfärdsteknologi och e-hälsostöd finns tillgängligt för anhöriga i din "
        "förvaltnings regi? (Ange vad som stämmer för samtliga alternativ)",
        S2,
        (
            Row("Informations och kommunikationsteknik (IKT), som information och utbildning på Internet"),
            Row("Möjlighet att kommunicera med andra anhöriga eller personal via chatt och frågor över Internet"),
            Row("Möjlighet att ha webbsamtal med andra anhöriga eller personal över Internet"),
            Row("Sensorer, GPS-system eller liknande där signalen går till anhöriga"),
            Row("Annan form av digitalt stöd. Ange vad:", RowKind.CHOICE_TEXT),
        ),
    ),
    Question(
        12,
        B,
        "Erbjuder förvaltningen stöd till anhöriga, då anhöriga eller den närstående bor på distans? "
        "(Ange vad som stämmer för samtliga alternativ)",
        S2,
        (
            Row("Ger er förvaltning stöd till anhöriga som bor i er kommun då de närstående bor i en annan kommun?"),
            Row("Ger förvaltningen stöd till anhöriga som bor i annan kommun då de närstående bor i er kommun?"),
            Row("Ger förvaltningen stöd till anhöriga som bor i er kommun då de närstående bor i ett annat land?"),
            Row("Ger förvaltningen stöd till anhöriga som bor i ett annat land då de närstående bor i er kommun?"),
        ),
    ),
    Question(
        13,
        C,
        "Frågor kring sekretess och frivillighet (Ange vad som stämmer för samtliga alternativ)",
        S1,
        (
            Row(
                "Det finns rutiner som systematiskt tillämpas för anhörigas delaktighet vid inhämtning av samtycke "
                "från närstående till anhörigas delaktighet"
            ),
            Row("Det finns rutiner som systematiskt tillämpas för att fastställa anhörigas vilja att vara delaktiga"),
        ),
    ),
    Question(
        14,
        C,
        "Frågor kring planering och beslut kring insatser till närstående "
        "(Ange vad som stämmer för samtliga alternativ)",
        S1,
        (
            Row(
                "Det finns rutiner som systematiskt tillämpas för anhörigas delaktighet vid biståndsbedömning "
                "angående den närstående"
            ),
            Row(
                "Det finns rutiner som systematiskt tillämpas för anhörigas delaktighet vid SIP, samordnad "
                "individuell plan, för den närstående"
            ),
            Row(
                "Det finns rutiner som systematiskt tillämpas för anhörigas delaktighet vid genomförande- eller "
                "individuellplan för den närstående"
            ),
            ANNAT,
        ),
    ),
)

SECTIONS: tuple[Section, ...] = (
    Section(A, "A. ORGANISERING AV ANHÖRIGSTÖD", questions=tuple(q for q in QUESTIONS if q.section == A)),
    Section(B, "B. STÖD TILL ANHÖRIGA", questions=tuple(q for q in QUESTIONS if q.section == B)),
    Section(
        C,
        "C. DELAKTIGHET",
        preamble=(
            "Följande frågor handlar om rutiner avseende anhörigas delaktighet och möjlighet till delaktighet i "
            "omsorg och vård till den närstående. Med rutiner avses skriftlig, dokumenterad rutin eller riktlinje "
            "fastställd på ledningsnivå som systematiskt tillämpas för anhörigas delaktighet."
        ),
        questions=tuple(q for q in QUESTIONS if q.section == C),
    ),
)

CLOSING_QUESTION = "Har du några övriga synpunkter som du önskar delge oss?"

# item code -> (question, item text, kind)
ITEMS: dict[str, tuple[Question, str, RowKind]] = {
    code: (question, text, kind) for question in QUESTIONS for code, text, kind in question.items()
}


def is_comment(code: str) -> bool:
    return code.endswith(".kommentar")
