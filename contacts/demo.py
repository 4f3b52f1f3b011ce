"""Demo data for contacts: a year of realistic, deterministic work in the demo municipalities.

Call :func:`seed_contacts` after :func:`anhorigstod.accounts.demo.seed_organisation`. It adds,
for Ängsviks kommun (9901) and Sjöhaga kommun (9902):

- the default kinds of support (``contacts.policy.DEFAULT_SUPPORT_KINDS``), each with the
  tier change that records its initial tier;
- in Ängsvik, Socialnämndens exemption decision in force for talk series (SN 2025/114 § 52)
  and an expired one for support groups (SN 2023/88 § 31);
- a partner directory per team unit;
- about 150 carers per team unit and the 365 days of talks before ``today`` (well over 2,000
  in all), with focus entries, referrals, journal notes for documented insatser, respite,
  consents and support-plan items.

Every talk obeys the documentation policy for its kind and date: a talk series in Ängsvik is
recorded anonymously under the exemption, in Sjöhaga it is documented with the carer's
identity and signed journal notes. The numbers follow seed-004-notes §6 where the seed gives
them (mostly older women; one in three cares more than 10 hours a week …); the rest are
labelled assumptions below.

Deterministic: one ``random.Random`` per unit, seeded from ``seed`` and the unit's code.
Idempotent: kinds, decisions and partners are looked up before they are created, and a unit
that already has talks gets no new carers or talks.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
import unicodedata
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.db import connection, models, transaction
from django.db.models import Max, Model
from django.utils import timezone

from anhorigstod.accounts.models import Municipality, Role, Unit, User
from contacts import policy
from contacts.models import (
    Answer,
    CareHours,
    Carer,
    Consent,
    ContactChannel,
    DocumentationTier,
    ExemptionDecision,
    Gender,
    Initiator,
    JournalNote,
    Occupation,
    Partner,
    Referral,
    Relation,
    RespiteGrant,
    SupportKind,
    SupportPlanItem,
    Talk,
    TalkFocus,
    TalkFocusEntry,
    TalkMode,
    TalkType,
    TargetGroup,
    YesNoUnknown,
)
from contacts.services.carers import age_band
from contacts.services.documentation import support_kinds_create_defaults

T = TypeVar("T")

MUNICIPALITIES = ("9901", "9902")
MANAGER_EMAIL = "chef@angsvik.example"

# --------------------------------------------------------------------------
# Exemption decisions (Ängsvik's Socialnämnd)
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoExemption:
    reference: str
    decided_on: dt.date
    valid_from: dt.date
    valid_to: dt.date | None
    kinds: tuple[str, ...]
    reason: str
    reason_text: str


DEMO_EXEMPTIONS = (
    DemoExemption(
        reference="SN 2025/114 § 52",
        decided_on=dt.date(2025, 3, 18),
        valid_from=dt.date(2025, 4, 1),
        valid_to=None,
        kinds=("talk_series",),
        reason=ExemptionDecision.Reason.ANONYMITY,
        reason_text=(
            "Anhöriga till personer med beroende eller psykisk ohälsa avstår ofta från stöd om deras "
            "uppgifter dokumenteras. Behovet av anonymitet, för egen och för den närståendes del, utgör "
            "särskilda skäl att inte dokumentera uppgifter om personliga förhållanden i samtalsserier."
        ),
    ),
    DemoExemption(
        reference="SN 2023/88 § 31",
        decided_on=dt.date(2023, 4, 19),
        valid_from=dt.date(2023, 5, 1),
        valid_to=dt.date(2024, 12, 31),
        kinds=("support_group",),
        reason=ExemptionDecision.Reason.LOW_THRESHOLD,
        reason_text=(
            "Tröskeln för att söka stöd i grupp behöver vara så låg som möjligt under försöksperioden "
            "med stödgrupper för anhöriga. Uppgifter om enskildas personliga förhållanden dokumenteras "
            "därför inte under perioden."
        ),
    ),
)

# --------------------------------------------------------------------------
# Skatteverket's test personnummer
# --------------------------------------------------------------------------

# Copied from Skatteverket's open data set "Testpersonnummer" (CC0,
# https://skatteverket.entryscape.net/rowstore/dataset/b4de7df7-63c0-4e7e-bb59-1f156a591763).
# The numbers are reserved for testing and belong to no one. Only the birth years below
# were copied (1938-1949, some of 1976-2013); a carer born in another year keeps the field
# empty, as most carers do in the product: the personnummer is optional.
# A block of numbers reads better than 705 lines of a list literal, hence the split.
TEST_PERSONNUMMER: tuple[str, ...] = tuple(
    """
    193801029202 193801049267 193801147061 193801248471 193801289269 193802052393 193802169155 193802217475 193802278485
    193803039142 193803039167 193803128432 193803129182 193803219165 193804019036 193804037483 193804139149 193804169245
    193805028432 193805089145 193805179177 193805259169 193806079079 193806099101 193807106590 193807129022 193808077667
    193808209005 193808319192 193809098894 193809128345 193809189149 193810157093 193810309140 193811214059 193811239106
    193812012395 193812038895 193812192395 193812217044 193901059059 193901199020 193901249007 193901308308 193902027030
    193902218886 193902238298 193903049165 193903248437 193904217464 193904286873 193905165407 193905299198 193906179183
    193906218890 193907116580 193907189090 193908079167 193908139060 193908199163 193908238490 193909099206 193909179131
    193909189205 193909208419 193909268462 193910108020 193910179203 193910219181 193910288194 193911019143 193911137077
    193911152381 193912052390 193912207242 193912298894 193912312380 194001042383 194001079120 194001167743 194001279050
    194002029108 194002049163 194002087874 194002152397 194002219113 194002287086 194003137033 194003189083 194004019180
    194004057032 194004279107 194005068095 194005219128 194006038873 194006139184 194006178307 194006228979 194007189196
    194007219142 194008097497 194008259287 194009109077 194009279169 194010017053 194010126672 194010169185 194011279090
    194011306125 194012019149 194012022382 194012037224 194012178887 194012197010 194012239101 194101012393 194101106393
    194101144733 194101157545 194101267013 194101298265 194102013770 194102033877 194102069046 194103027092 194103219202
    194103319036 194104148871 194104158193 194104279122 194105039038 194105199121 194106067699 194106177753 194106279161
    194107086995 194107149207 194107153415 194108019052 194108088396 194108109168 194108166978 194108279185 194109157059
    194109229080 194110105881 194110147495 194110288083 194110299221 194110319011 194111186377 194111299055 194112128154
    194112169182 194112249166 194112308178 194201077098 194201199124 194202138014 194202269207 194203027018 194203109147
    194203138187 194203249034 194204099222 194204159075 194205029186 194205039037 194205167051 194206044739 194206089205
    194206119093 194206147490 194206176598 194206178420 194207016835 194207039134 194207099146 194207189095 194207294796
    194207318785 194208106593 194208138844 194208174732 194208269128 194208272395 194209039140 194209088899 194209177072
    194209186974 194209257486 194209309097 194210078418 194210198174 194210219269 194210228476 194211016151 194211196979
    194211307444 194212247094 194212319240 194301027472 194301236982 194301307056 194302029204 194302096997 194302129046
    194302144698 194303177093 194303193454 194303269049 194303282398 194304074695 194304098413 194304247663 194304302385
    194305054753 194305127054 194305166995 194305239065 194306113475 194306134760 194307039042 194307188179 194307199069
    194308117094 194308124694 194308175472 194308239088 194308298159 194309094714 194309189126 194309269225 194310127479
    194310199106 194310236593 194310308442 194311029005 194311097093 194311234787 194312095450 194312298245 194401012382
    194401012390 194401032133 194401038296 194401056603 194401056660 194401059771 194401072089 194401077674 194401118551
    194401126885 194401127495 194401132495 194401152204 194401153053 194401155488 194401155926 194401156478 194401158615
    194401162385 194401162393 194401168481 194401178449 194401182078 194401190857 194401193380 194401197480 194401216496
    194401216595 194401229085 194401253424 194401254406 194401258308 194401279759 194401287760 194402109062 194402168597
    194402273462 194403059100 194403113154 194403157078 194403319108 194404136055 194404277461 194405013493 194405149057
    194405229206 194405307051 194406098824 194406127029 194406187692 194407148180 194407209107 194407237058 194407319104
    194408028878 194408139089 194408278184 194409013838 194409106855 194409149061 194409168269 194409237312 194410119046
    194410188876 194411049069 194411155858 194411219183 194412107262 194412198154 194412279129 194412312391 194501103297
    194501128278 194501202388 194501278883 194502024732 194502073416 194502198429 194502202395 194502253190 194502278353
    194503135883 194503303853 194504069248 194504118359 194504269087 194504302383 194505124752 194505249229 194506177031
    194506177064 194506177551 194506218983 194506304718 194507018820 194507167072 194508084755 194508146802 194508203199
    194508236728 194509123412 194509163756 194509287068 194509302396 194510106331 194510168885 194510194659 194510273453
    194511027080 194511102388 194511118780 194511184758 194512088149 194512137250 194512222391 194512267743 194601136098
    194601198882 194601274758 194602112395 194602138184 194602226559 194602233415 194603047327 194603173172 194603213424
    194604063075 194604123275 194604296485 194605076654 194605076738 194605076894 194605208729 194605233198 194606109108
    194606233411 194607054725 194607137454 194607177872 194607287044 194608054674 194608154714 194608188886 194609073277
    194609144706 194609271897 194610036149 194610196695 194611173388 194611213010 194611305469 194612194714 194701053151
    194701124622 194701222798 194701302392 194702122658 194702143464 194702163413 194703074684 194703103111 194703216749
    194703255788 194704083452 194704187006 194705093112 194705193748 194705233171 194706073600 194706112234 194706302595
    194707112563 194707193290 194707223196 194707262202 194707272649 194708122694 194708313103 194709031894 194709183109
    194709201836 194709272076 194710162381 194710242811 194710282239 194710292345 194711052326 194711222192 194711232365
    194711302267 194712032343 194712122235 194712312588 194801141864 194801152184 194801171770 194801232606 194801301872
    194802082364 194802162174 194803022328 194803141573 194803263161 194804032094 194804102665 194804193482 194805111855
    194805132380 194805153162 194805192749 194805272319 194806103067 194806172682 194806212231 194807073103 194807073228
    194807141777 194807171899 194807292547 194808192530 194808262341 194809072251 194809132386 194809132527 194809301551
    194810042368 194810162331 194811092529 194811172115 194811252222 194812122663 194812161596 194812212282 194901022121
    194901022188 194901162240 194901262172 194901272247 194902102138 194902142696 194902283045 194903012658 194903032201
    194903082305 194903132761 194903312215 194904202621 194904262153 194904302892 194905133460 194905192334 194905232841
    194906062213 194906162682 194906182284 194907121794 194907162343 194907242582 194907282315 194908102363 194908152640
    194908271754 194909112544 194909162150 194909272306 194910011727 194910132507 194910141854 194911172296 194911212209
    194911251710 194912062306 194912232594 197606252380 197606252398 197606262389 197606262397 197606272388 197606272396
    197606282387 197606282395 197606292386 197606292394 197606302383 197606302391 197607012387 197607012395 197607022386
    197607022394 197701172392 197701182383 197701182391 197701192382 197701192390 197701202389 197701202397 197701212388
    197701212396 197701222387 197701222395 197701232386 197701232394 197701242385 197701242393 197701252384 197701252392
    197701262383 197701262391 197701272382 197909212388 197909212396 197909222387 197909222395 197909232386 197909232394
    197909242385 197909242393 197909252384 197909252392 197909262383 197909262391 197909272382 197909272390 197909282381
    197909282399 197909292380 197909292398 197909302387 197909302395 198404152392 198404162383 198404162391 198404172382
    198404172390 198404182381 198404182399 198404189287 198404192380 198404192398 198404202387 198404202395 198404212386
    198404212394 198404222385 198404222393 198404232384 198404232392 198404242383 198404242391 198804202383 198804212382
    198804212390 198804222381 198804222399 198804232380 198804232398 198804242389 198804242397 198804252388 198804252396
    198804262387 198804262395 198804272386 198804272394 198804282385 198804282393 198804292384 198804292392 198804302381
    199001012385 199001022384 199001032383 199001032391 199001052381 199001072389 199001072397 199001092387 199001102384
    199001102392 199001112383 199001112391 199001122382 199001122390 199001132399 199001142380 199001142398 199001152389
    199401012381 199401012399 199401022380 199401022398 199401032389 199401032397 199401042388 199401042396 199401052387
    199401052395 199401062386 199401062394 200001012384 200001012392 200001022383 200001022391 200001032382 200001032390
    200001042381 200001042399 200001052380 200001052398 200901192385 200901192393 200901202382 200901202390 200901212381
    200901212399 200901222380 200901222398 200901232389 200901232397 200901242388 200901242396 200901252387 200901252395
    200901262386 200901262394 200901272385 200901272393 200901282384 200901282392 200901292383 200901292391 200901302380
    200901302398 201201152384 201201162383 201201162391 201201172382 201201172390 201201182381 201201182399 201201192380
    201201192398 201201202387 201201202395 201201212386 201201212394 201201222385 201201222393 201201232384 201201232392
    201301012389 201301012397 201301022388 201301022396 201301032387 201301032395 201301042386 201301042394 201301052385
    201301052393 201301062384 201301062392
    """.split()  # noqa: SIM905
)

# --------------------------------------------------------------------------
# Names (fictional people; common Swedish names, and names for the other languages)
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class NameList:
    women: tuple[str, ...]
    men: tuple[str, ...]
    surnames: tuple[str, ...]


# fmt: off
SWEDISH_NAMES = NameList(
    women=(
        "Agneta", "Anita", "Anna", "Annika", "Astrid", "Barbro", "Birgitta", "Britt", "Camilla", "Carina",
        "Christina", "Elisabeth", "Emma", "Eva", "Gun", "Gunilla", "Gunnel", "Helena", "Inga", "Inger",
        "Ingrid", "Johanna", "Karin", "Kerstin", "Kristina", "Lena", "Linda", "Maj-Britt", "Malin", "Margareta",
        "Margit", "Maria", "Marianne", "Marie", "Monica", "Sara", "Siv", "Sofia", "Solveig", "Susanne",
        "Ulla", "Ulrika",
    ),
    men=(
        "Anders", "Andreas", "Bengt", "Bertil", "Björn", "Bo", "Daniel", "Erik", "Fredrik", "Gunnar",
        "Göran", "Hans", "Jan", "Johan", "Karl", "Kjell", "Lars", "Leif", "Lennart", "Magnus",
        "Mats", "Mikael", "Nils", "Olof", "Per", "Peter", "Rolf", "Stefan", "Stig", "Sture",
        "Sven", "Thomas", "Ulf", "Åke",
    ),
    surnames=(
        "Andersson", "Arvidsson", "Axelsson", "Bengtsson", "Berg", "Berglund", "Bergman", "Bergqvist", "Bergström",
        "Björk", "Blomqvist", "Claesson", "Danielsson", "Eklund", "Engström", "Eriksson", "Forsberg", "Fransson",
        "Fredriksson", "Gunnarsson", "Gustafsson", "Hansson", "Henriksson", "Holm", "Holmberg", "Håkansson",
        "Isaksson", "Jakobsson", "Jansson", "Johansson", "Jonsson", "Jönsson", "Karlsson", "Larsson", "Lind",
        "Lindberg", "Lindgren", "Lindqvist", "Lindström", "Lundberg", "Lundgren", "Lundin", "Lundqvist",
        "Löfgren", "Magnusson", "Mattsson", "Nilsson", "Nyberg", "Nyström", "Olofsson", "Olsson", "Persson",
        "Pettersson", "Samuelsson", "Sandberg", "Sjöberg", "Svensson", "Söderberg", "Wallin", "Wikström",
    ),
)
# Young carers (barn som anhöriga) carry the names of their generation.
YOUNG_SWEDISH_NAMES = NameList(
    women=("Alice", "Alva", "Ebba", "Elsa", "Ella", "Felicia", "Julia", "Maja", "Moa", "Wilma"),
    men=("Albin", "Elias", "Hugo", "Isak", "Liam", "Lucas", "Melvin", "Noah", "Oliver", "William"),
    surnames=SWEDISH_NAMES.surnames,
)
NAMES_BY_LANGUAGE = {
    "svenska": SWEDISH_NAMES,
    "arabiska": NameList(
        women=("Amira", "Fatima", "Huda", "Layla", "Noor", "Rana", "Samira"),
        men=("Ahmed", "Ali", "Hassan", "Khalid", "Mohammed", "Omar", "Yusuf"),
        surnames=("Haddad", "Hassan", "Ibrahim", "Khalil", "Mansour", "Saleh", "Yousef"),
    ),
    "finska": NameList(
        women=("Aino", "Marjatta", "Pirjo", "Riitta", "Sirpa", "Tuula"),
        men=("Juhani", "Kari", "Matti", "Pekka", "Seppo", "Timo"),
        surnames=("Heikkinen", "Korhonen", "Laine", "Mäkinen", "Nieminen", "Virtanen"),
    ),
    "somaliska": NameList(
        women=("Ayaan", "Faadumo", "Hibo", "Hodan", "Sahra"),
        men=("Abdi", "Abdullahi", "Farah", "Mahad", "Yasin"),
        surnames=("Farah", "Jama", "Mohamud", "Osman", "Warsame"),
    ),
    "persiska": NameList(
        women=("Azadeh", "Maryam", "Nasrin", "Parisa", "Shirin"),
        men=("Amir", "Babak", "Dariush", "Hossein", "Reza"),
        surnames=("Ahmadi", "Hosseini", "Karimi", "Moradi", "Rahimi"),
    ),
    "bosniska": NameList(
        women=("Amra", "Emina", "Lejla", "Selma"),
        men=("Adnan", "Emir", "Mirza", "Senad"),
        surnames=("Begić", "Hodžić", "Kovačević", "Mehmedović"),
    ),
}
# fmt: on
# Mobile numbers PTS keeps for fiction (070-174 06 05 to 070-174 06 99): no one answers.
FICTION_MOBILE_PREFIX = "070-174 06 "

# --------------------------------------------------------------------------
# Partners (PRODUCT §7): the vägvisare every team keeps
# --------------------------------------------------------------------------

PT = Partner.OrganisationType


@dataclass(frozen=True)
class DemoPartner:
    name: str  # {ort}: the municipality's main town; {area}: the team's area
    organisation_type: str
    description: str
    website: str = ""
    offers_respite: bool = False


CORE_PARTNERS = (
    DemoPartner(
        "Demensförbundet {ort}",
        PT.PATIENT_ASSOCIATION,
        "Lokalförening för personer med demenssjukdom och deras anhöriga: träffar och anhörigcirklar.",
    ),
    DemoPartner(
        "Vårdcentralen {area}",
        PT.PRIMARY_CARE,
        "Primärvård; distriktssköterskan tar emot frågor om den närståendes och den egna hälsan.",
    ),
    DemoPartner(
        "Anhörigas riksförbund",
        PT.CARER_ASSOCIATION,
        "Nationell intresseorganisation för anhöriga; Anhöriglinjen och en kalender för digitala träffar.",
        "https://anhorigasriksforbund.se",
    ),
    DemoPartner("Svenska kyrkan {ort}", PT.FAITH, "Samtal med diakon, sorgegrupper och öppna träffar."),
    DemoPartner("Röda Korset {ort}", PT.AID_ORGANISATION, "Besöksverksamhet och medmänskligt stöd; språkcafé."),
    DemoPartner(
        "Försäkringskassan",
        PT.FORSAKRINGSKASSAN,
        "Närståendepenning, omvårdnadsbidrag och assistansersättning.",
        "https://www.forsakringskassan.se",
    ),
    DemoPartner(
        "Studieförbundet Vuxenskolan {ort}",
        PT.STUDY_ASSOCIATION,
        "Studiecirklar för anhöriga i samarbete med anhörigstödet.",
    ),
    DemoPartner(
        "Hjälplinjen",
        PT.HELPLINE,
        "Stödsamtal per telefon och chatt för den som behöver prata med någon, också kvällar och helger.",
    ),
    DemoPartner(
        "Minnesmottagningen {ort}", PT.SOMATIC_CARE, "Utredning vid minnessvikt; anhörigutbildning efter diagnos."
    ),
    DemoPartner(
        "Avlösarservice {ort} AB",
        PT.PRIVATE,
        "Avlösning i hemmet, med biståndsbeslut eller utan beslut upp till 16 timmar i månaden.",
        offers_respite=True,
    ),
)
EXTRA_PARTNERS = (
    DemoPartner(
        "Psykiatrimottagningen {ort}",
        PT.PSYCHIATRY,
        "Allmänpsykiatrisk mottagning; anhörigsamtal med patientens samtycke.",
    ),
    DemoPartner(
        "Arbetsförmedlingen",
        PT.ARBETSFORMEDLINGEN,
        "Stöd för anhöriga som vill gå tillbaka till arbete efter en tid av omsorg.",
        "https://arbetsformedlingen.se",
    ),
    DemoPartner(
        "Attention {ort}",
        PT.PATIENT_ASSOCIATION,
        "Förening för personer med NPF och deras anhöriga: föräldraträffar och föreläsningar.",
    ),
    DemoPartner(
        "Biståndsenheten, {kommun}",
        PT.OTHER_ADMINISTRATION,
        "Biståndshandläggare: ansökan om insatser för den närstående och om stöd för egen del.",
    ),
    DemoPartner(
        "Stiftelsen Anhörigfonden {ort}",
        PT.FUND,
        "Lokal stiftelse som delar ut bidrag till rekreation och egen tid för anhöriga.",
    ),
    DemoPartner("PRO {ort}", PT.OTHER_ASSOCIATION, "Pensionärsförening: friskvård, studiecirklar och gemenskap."),
    DemoPartner(
        "Hemtjänsten {area}",
        PT.OTHER_ADMINISTRATION,
        "Kommunens hemtjänst; avlösning i hemmet efter biståndsbeslut.",
        offers_respite=True,
    ),
    DemoPartner(
        "Anhöriggruppen för beroende {ort}",
        PT.OTHER_ASSOCIATION,
        "Självhjälpsgrupp för anhöriga till personer med beroende; träffas varannan vecka.",
    ),
)
# Which partners fit which target group when a talk ends in a referral.
PARTNER_TYPES_FOR_TARGET: dict[str, set[str]] = {
    TargetGroup.DEMENTIA: {PT.PATIENT_ASSOCIATION, PT.SOMATIC_CARE, PT.PRIVATE},
    TargetGroup.ELDERLY: {PT.PRIVATE, PT.PRIMARY_CARE, PT.OTHER_ADMINISTRATION, PT.AID_ORGANISATION},
    TargetGroup.MENTAL: {PT.PSYCHIATRY, PT.HELPLINE, PT.FAITH},
    TargetGroup.ADDICTION: {PT.HELPLINE, PT.OTHER_ASSOCIATION, PT.FAITH},
    TargetGroup.GAMBLING: {PT.HELPLINE, PT.OTHER_ASSOCIATION},
    TargetGroup.NPF: {PT.PATIENT_ASSOCIATION, PT.FORSAKRINGSKASSAN, PT.OTHER_ADMINISTRATION},
    TargetGroup.DISABILITY: {PT.FORSAKRINGSKASSAN, PT.OTHER_ADMINISTRATION, PT.PRIVATE},
    TargetGroup.SOMATIC: {PT.PRIMARY_CARE, PT.FORSAKRINGSKASSAN},
    TargetGroup.END_OF_LIFE: {PT.SOMATIC_CARE, PT.FORSAKRINGSKASSAN, PT.FAITH},
    TargetGroup.BEREAVED: {PT.FAITH, PT.HELPLINE},
}

# --------------------------------------------------------------------------
# Texts consultants write (short, and never about the närstående's identity)
# --------------------------------------------------------------------------

NEXT_STEPS = (
    "Skicka information om avlösning i hemmet.",
    "Boka hembesök om två veckor.",
    "Ringa upp efter läkarbesöket.",
    "Kontakta biståndshandläggaren (samtycke finns).",
    "Erbjuda plats i vårens anhöriggrupp.",
    "Skicka broschyren om demenssjukdom och anhörigskap.",
    "Följa upp hur avlösningen fungerar.",
    "Boka uppföljande samtal.",
    "Tipsa om anhörigcaféet på torsdagar.",
    "Hjälpa till med ansökan om stöd för egen del.",
)
BRING_UP_NEXT_TIME = (
    "Hur sömnen har varit.",
    "Om ansökan om korttidsplats har skickats.",
    "Hur samtalet med syskonen gick.",
    "Egen tid: promenadgruppen på tisdagar.",
    "Oro inför flytten till särskilt boende.",
    "Hur det går på jobbet.",
    "Om barnen i familjen vet hur det är.",
    "Hur första veckan med avlösning gick.",
)
STRUCTURED_MATERIALS = ("COAT", "ACT-övningar", "Samtalsguide för anhörigsamtal")
SERIES_NOTE_TEXTS = (
    "Vi gick igenom hur veckan har varit och vad som har varit tyngst. Anhörig beskriver trötthet men "
    "också att promenaderna hjälper.",
    "Fokus på gränssättning och på vad anhörig själv behöver för att orka.",
    "Vi pratade om skuld och om att det är tillåtet att ta emot hjälp. Anhörig vill pröva avlösning en "
    "eftermiddag i veckan.",
    "Genomgång av stödplanen. Målet om egen tid följdes upp: delvis uppnått.",
    "Anhörig berättade om en svår vecka. Vi planerade vad anhörig kan göra om det blir akut igen.",
    "Samtal om oro inför framtiden och om vilka i nätverket som kan avlasta.",
)
SERIES_CLOSING_TEXT = (
    "Avslutande samtal i serien. Vi summerade vad som har förändrats och kom överens om ett "
    "uppföljningssamtal om en månad."
)
ERRONEOUS_REASONS = (
    "Anteckningen fördes under fel samtal.",
    "Fel datum angavs i anteckningen.",
)
CONSENTS = (
    ("Vårdcentralen", "Får lämna och ta emot uppgifter om min situation som anhörig inför vårdplaneringen."),
    ("Biståndshandläggare", "Får ta del av det som kommit fram i samtalen om mitt behov av avlösning."),
    ("Minnesmottagningen", "Får kontakta mig som anhörig och lämna information om utredningen."),
    ("Hemtjänsten", "Får lämna uppgifter till mig om insatserna hemma och kontakta mig vid förändringar."),
    ("Elevhälsan", "Får samverka med anhörigkonsulenten om stödet till familjen."),
)
PLAN_ITEMS: dict[str, tuple[tuple[str, str], ...]] = {
    SupportPlanItem.Area.CARE_TASKS: (
        ("Känna mig trygg med medicinerna hemma.", "Genomgång med distriktssköterskan."),
        ("Veta vart jag vänder mig när det blir akut.", "Anhörigkonsulenten tar fram en kontaktlista."),
        ("Få hjälp med förflyttningar.", "Arbetsterapeut gör hembesök."),
    ),
    SupportPlanItem.Area.OWN_LIFE: (
        ("Ha en egen eftermiddag i veckan.", "Pröva avlösning i hemmet under fyra veckor."),
        ("Sova bättre.", "Anmälan till må-bra-gruppen i vår."),
        ("Orka arbeta kvar på deltid.", "Samtal om närståendepenning och arbetsgivarens stöd."),
        ("Återuppta körsången.", ""),
    ),
    SupportPlanItem.Area.CLOSE_PERSON: (
        ("Att min närstående får en meningsfull vardag.", "Information om dagverksamhet skickas."),
        ("Fler stunder av gemenskap hemma.", ""),
    ),
    SupportPlanItem.Area.GOOD_HELP: (
        ("Få färre och fasta personer i hemtjänsten.", "Anhörigkonsulenten kontaktar biståndshandläggaren."),
        ("En samordnad individuell plan (SIP) med vården.", "Begäran om SIP skickas med samtycke."),
        ("Få avlösning varannan vecka.", "Ansökan om avlösning för egen del."),
    ),
}

# --------------------------------------------------------------------------
# Weights. Sources: seed-004-notes §6 (gender, care hours, who is reached); the rest are
# assumptions for a plausible demo, labelled as such.
# --------------------------------------------------------------------------

# fmt: off
# (lowest age, highest age, weight): mostly 55-85, 5 % under 18 (assumption).
AGE_BANDS = (
    (13, 17, 5), (18, 29, 3), (30, 44, 10), (45, 54, 12), (55, 64, 20), (65, 74, 25), (75, 85, 22), (86, 92, 3),
)
GENDERS = ((Gender.WOMAN, 70), (Gender.MAN, 28), (Gender.OTHER, 1), (Gender.UNDISCLOSED, 1))
LANGUAGES = (
    ("svenska", 86), ("arabiska", 4), ("finska", 3.5), ("somaliska", 2.5), ("persiska", 2.5), ("bosniska", 1.5),
)
# Seed 004 L3508-3510: more than half 1-10 h a week, nearly one in three more than 10.
CARE_HOURS = (
    (CareHours.UNDER_1, 6), (CareHours.H1_10, 52), (CareHours.H11_20, 15), (CareHours.OVER_20, 17),
    (CareHours.UNKNOWN, 10),
)
CHANNELS = (
    (ContactChannel.SELF, 30), (ContactChannel.HEALTH_CARE, 22), (ContactChannel.MUNICIPAL_STAFF, 20),
    (ContactChannel.ACQUAINTANCE, 10), (ContactChannel.WEBSITE, 8), (ContactChannel.CAMPAIGN, 4),
    (ContactChannel.SOCIAL_MEDIA, 3), (ContactChannel.OTHER, 3),
)
MUNICIPAL_CONTACT = ((YesNoUnknown.YES, 60), (YesNoUnknown.NO, 25), (YesNoUnknown.UNKNOWN, 15))
CLOSE_REASONS = (
    (Carer.CloseReason.NO_LONGER_NEEDED, 45), (Carer.CloseReason.REFERRED, 15), (Carer.CloseReason.MOVED, 10),
    (Carer.CloseReason.CARER_DECLINED, 12), (Carer.CloseReason.DECEASED, 3), (Carer.CloseReason.OTHER, 15),
)
# How many advice talks a carer has in the year (assumption: most one to three).
TALKS_PER_CARER = ((1, 32), (2, 22), (3, 14), (4, 10), (5, 7), (6, 5), (8, 5), (10, 3), (14, 2))
DAYS_BETWEEN_TALKS = ((7, 10), (14, 25), (21, 20), (28, 20), (42, 15), (63, 10))
ADVICE_MODES = (
    (TalkMode.PHONE, 45), (TalkMode.OFFICE, 28), (TalkMode.HOME, 10), (TalkMode.VIDEO, 9), (TalkMode.WALK, 5),
    (TalkMode.CHAT, 3),
)
SERIES_MODES = ((TalkMode.OFFICE, 70), (TalkMode.VIDEO, 15), (TalkMode.WALK, 10), (TalkMode.HOME, 5))
ANONYMOUS_MODES = ((TalkMode.PHONE, 65), (TalkMode.OFFICE, 15), (TalkMode.CHAT, 12), (TalkMode.VIDEO, 8))
DURATIONS: dict[str, tuple[int, ...]] = {
    TalkMode.PHONE: (15, 20, 25, 30, 30, 45, 45, 60),
    TalkMode.CHAT: (15, 20, 30, 30),
    TalkMode.VIDEO: (30, 45, 45, 60),
    TalkMode.OFFICE: (45, 60, 60, 60, 75, 90),
    TalkMode.WALK: (45, 60, 60, 75),
    TalkMode.HOME: (60, 60, 75, 90, 90),
}
FIRST_TALK_TYPES = (
    (TalkType.ACQUAINTANCE, 50), (TalkType.INFORMATION, 15), (TalkType.UNBURDENING, 10), (TalkType.ACUTE, 8),
    (TalkType.REFERRAL, 7), (TalkType.ADVICE, 5), (TalkType.PLANNING, 5),
)
LATER_TALK_TYPES = (
    (TalkType.UNBURDENING, 20), (TalkType.FOLLOW_UP, 18), (TalkType.ADVICE, 12), (TalkType.PLANNING, 10),
    (TalkType.INFORMATION, 8), (TalkType.CONFIRMATION, 7), (TalkType.PRACTICAL, 7), (TalkType.MOTIVATION, 5),
    (TalkType.PREPARATION, 5), (TalkType.REFERRAL, 4), (TalkType.ACUTE, 2), (TalkType.MEDIATION, 2),
)
ANONYMOUS_TALK_TYPES = (
    (TalkType.INFORMATION, 22), (TalkType.UNBURDENING, 22), (TalkType.ADVICE, 18), (TalkType.ACUTE, 12),
    (TalkType.REFERRAL, 12), (TalkType.ACQUAINTANCE, 10), (TalkType.PRACTICAL, 4),
)
SERIES_TALK_TYPES = (
    (TalkType.UNBURDENING, 30), (TalkType.PLANNING, 15), (TalkType.CONFIRMATION, 15), (TalkType.MOTIVATION, 15),
    (TalkType.PREPARATION, 10), (TalkType.FOLLOW_UP, 10), (TalkType.ACUTE, 5),
)
FIRST_INITIATORS = (
    (Initiator.CARER, 45), (Initiator.HEALTH_CARE, 22), (Initiator.CASE_OFFICER, 18),
    (Initiator.SOCIAL_SERVICES, 10), (Initiator.OTHER, 5),
)
LATER_INITIATORS = (
    (Initiator.CARER, 72), (Initiator.HEALTH_CARE, 9), (Initiator.CASE_OFFICER, 8),
    (Initiator.SOCIAL_SERVICES, 6), (Initiator.OTHER, 5),
)
FOCUS_FOR_TYPE: dict[str, str] = {
    TalkType.ACQUAINTANCE: TalkFocus.MAPPING, TalkType.INFORMATION: TalkFocus.INFORMING,
    TalkType.REFERRAL: TalkFocus.COORDINATING, TalkType.ADVICE: TalkFocus.ADVISING,
    TalkType.PREPARATION: TalkFocus.EDUCATING, TalkType.ACUTE: TalkFocus.SUPPORTING,
    TalkType.UNBURDENING: TalkFocus.SUPPORTING, TalkType.PLANNING: TalkFocus.MAPPING,
    TalkType.MOTIVATION: TalkFocus.MOTIVATING, TalkType.CONFIRMATION: TalkFocus.SUPPORTING,
    TalkType.FOLLOW_UP: TalkFocus.SUPPORTING, TalkType.MEDIATION: TalkFocus.COORDINATING,
    TalkType.PRACTICAL: TalkFocus.ADVISING,
}
EXTRA_FOCUS = (
    (TalkFocus.SUPPORTING, 30), (TalkFocus.INFORMING, 15), (TalkFocus.ADVISING, 15), (TalkFocus.MAPPING, 8),
    (TalkFocus.COORDINATING, 8), (TalkFocus.MOTIVATING, 6), (TalkFocus.EDUCATING, 6), (TalkFocus.WELLNESS, 6),
    (TalkFocus.BEREAVEMENT, 2),
)
FOCUS_COUNT = ((1, 45), (2, 40), (3, 15))
INFORMED_FIRST = ((Answer.YES, 92), (Answer.NO, 5), (Answer.NOT_RELEVANT, 3))
INFORMED_LATER = ((Answer.YES, 75), (Answer.NO, 10), (Answer.NOT_RELEVANT, 15))
ASKED_ABOUT_CHILDREN = ((Answer.YES, 60), (Answer.NO, 30), (Answer.NOT_RELEVANT, 10))
START_HOURS = ((8, 6), (9, 12), (10, 14), (11, 10), (12, 4), (13, 12), (14, 13), (15, 10), (16, 4))
START_MINUTES = ((0, 5), (15, 2), (30, 4), (45, 2))
TARGETS_PARTNER = (
    (TargetGroup.DEMENTIA, 40), (TargetGroup.ELDERLY, 25), (TargetGroup.SOMATIC, 14), (TargetGroup.END_OF_LIFE, 7),
    (TargetGroup.MENTAL, 4), (TargetGroup.DISABILITY, 4), (TargetGroup.ADDICTION, 3), (TargetGroup.BEREAVED, 3),
)
TARGETS_ADULT_CHILD = (
    (TargetGroup.ELDERLY, 36), (TargetGroup.DEMENTIA, 34), (TargetGroup.SOMATIC, 10), (TargetGroup.END_OF_LIFE, 8),
    (TargetGroup.MENTAL, 5), (TargetGroup.ADDICTION, 5), (TargetGroup.BEREAVED, 2),
)
TARGETS_PARENT = (
    (TargetGroup.NPF, 40), (TargetGroup.DISABILITY, 30), (TargetGroup.MENTAL, 18), (TargetGroup.ADDICTION, 7),
    (TargetGroup.SOMATIC, 5),
)
TARGETS_OTHER = (
    (TargetGroup.MENTAL, 25), (TargetGroup.ADDICTION, 15), (TargetGroup.DISABILITY, 15), (TargetGroup.ELDERLY, 15),
    (TargetGroup.DEMENTIA, 10), (TargetGroup.SOMATIC, 10), (TargetGroup.GAMBLING, 5), (TargetGroup.NPF, 5),
)
TARGETS_YOUNG = (
    (TargetGroup.MENTAL, 35), (TargetGroup.ADDICTION, 25), (TargetGroup.SOMATIC, 20), (TargetGroup.DISABILITY, 10),
    (TargetGroup.NPF, 5), (TargetGroup.GAMBLING, 5),
)
RELATIONS_UNDER_45 = (
    (Relation.PARENT, 45), (Relation.ADULT_CHILD, 25), (Relation.PARTNER, 15), (Relation.SIBLING, 10),
    (Relation.FRIEND, 5),
)
RELATIONS_45_TO_64 = (
    (Relation.ADULT_CHILD, 45), (Relation.PARTNER, 25), (Relation.PARENT, 15), (Relation.SIBLING, 7),
    (Relation.FRIEND, 4), (Relation.OTHER_RELATIVE, 4),
)
RELATIONS_65_UP = (
    (Relation.PARTNER, 65), (Relation.ADULT_CHILD, 10), (Relation.PARENT, 8), (Relation.SIBLING, 7),
    (Relation.FRIEND, 5), (Relation.OTHER_RELATIVE, 5),
)
RELATIONS_YOUNG = ((Relation.OTHER, 45), (Relation.SIBLING, 40), (Relation.OTHER_RELATIVE, 15))
# fmt: on
# The groups the exemption was decided for: they fill most talk series (assumption).
SERIES_TARGETS = {TargetGroup.MENTAL, TargetGroup.ADDICTION, TargetGroup.GAMBLING}

DEMO_UNITS = ("angsvik-norra", "angsvik-sodra", "angsvik-centrum", "sjohaga-anhorig")
PLACES = {"9901": "Ängsvik", "9902": "Sjöhaga"}
COUNT_KEYS = (
    "support_kinds",
    "tier_changes",
    "exemptions",
    "partners",
    "carers",
    "talks",
    "anonymous_talks",
    "talks_under_exemption",
    "talk_focus_entries",
    "referrals",
    "journal_notes",
    "respite_grants",
    "consents",
    "plan_items",
)

# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------


def _pick(rng: random.Random, weighted: Sequence[tuple[T, float]]) -> T:
    return rng.choices([value for value, _weight in weighted], [weight for _value, weight in weighted])[0]


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().replace(" ", "")


def _aware(day: dt.date, hour: int = 12, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)), timezone.get_default_timezone())


def _personnummer_index() -> dict[tuple[int, str], list[str]]:
    """Skatteverket's test numbers by birth year and gender (the second last digit is odd for men)."""
    index: dict[tuple[int, str], list[str]] = {}
    for number in TEST_PERSONNUMMER:
        gender = Gender.MAN if int(number[10]) % 2 else Gender.WOMAN
        index.setdefault((int(number[:4]), gender), []).append(number)
    return index


class RuleBook:
    """The documentation policy's answer for one kind of support on any date.

    The answer changes only where an exemption decision covering the kind starts or ends,
    so the policy is asked once per stretch of dates between those edges: the same answer
    as asking it for every talk, without a query per talk.
    """

    def __init__(self, kind: SupportKind) -> None:
        self.kind = kind
        edges: set[dt.date] = set()
        for decision in kind.exemptions.all():
            edges.add(decision.valid_from)
            if decision.valid_to is not None:
                edges.add(decision.valid_to + dt.timedelta(days=1))
        self._edges = sorted(edges)
        self._rules: dict[int, policy.DocumentationRule] = {}

    def on(self, day: dt.date) -> policy.DocumentationRule:
        stretch = bisect.bisect_right(self._edges, day)
        rule = self._rules.get(stretch)
        if rule is None:
            rule = self._rules[stretch] = policy.documentation_rule(kind=self.kind, on=day)
        return rule


@dataclass
class Person:
    """The statistical attributes of a carer, or of an anonymous caller."""

    birth_year: int
    gender: str
    relation: str
    target_group: str
    under_18: bool


def _draw_person(rng: random.Random, today: dt.date) -> Person:
    youngest, oldest = _pick(rng, [((low, high), weight) for low, high, weight in AGE_BANDS])
    age = rng.randint(youngest, oldest)
    under_18 = age < 18
    # Under 18 the birth year must keep the carer under 18 on ``today``.
    birth_year = today.year - age - (0 if under_18 or rng.random() < 0.5 else 1)
    gender = _pick(rng, ((Gender.WOMAN, 60), (Gender.MAN, 40))) if under_18 else _pick(rng, GENDERS)
    if under_18:
        relation = _pick(rng, RELATIONS_YOUNG)
        targets: Sequence[tuple[str, float]] = TARGETS_YOUNG
    else:
        relations = RELATIONS_UNDER_45 if age < 45 else RELATIONS_45_TO_64 if age < 65 else RELATIONS_65_UP
        relation = _pick(rng, relations)
        targets = {
            Relation.PARTNER: TARGETS_PARTNER,
            Relation.ADULT_CHILD: TARGETS_ADULT_CHILD,
            Relation.PARENT: TARGETS_PARENT,
        }.get(relation, TARGETS_OTHER)
    return Person(birth_year, gender, relation, _pick(rng, targets), under_18)


def _occupation(rng: random.Random, age: int) -> str:
    if age < 18:
        return Occupation.STUDYING
    if age < 26:
        return _pick(rng, ((Occupation.STUDYING, 55), (Occupation.WORKING, 40), (Occupation.OTHER, 5)))
    if age < 62:
        return _pick(
            rng, ((Occupation.WORKING, 78), (Occupation.OTHER, 15), (Occupation.RETIRED, 4), (Occupation.STUDYING, 3))
        )
    if age < 67:
        return _pick(rng, ((Occupation.RETIRED, 55), (Occupation.WORKING, 40), (Occupation.OTHER, 5)))
    return _pick(rng, ((Occupation.RETIRED, 95), (Occupation.WORKING, 3), (Occupation.OTHER, 2)))


# --------------------------------------------------------------------------
# Municipality-wide data: kinds of support, exemptions, partners
# --------------------------------------------------------------------------


def _seed_support_kinds(municipality: Municipality, counts: Counter[str]) -> dict[str, SupportKind]:
    counts.update(support_kinds_create_defaults(municipality=municipality))
    codes = [code for code, *_ in policy.DEFAULT_SUPPORT_KINDS]
    return {kind.code: kind for kind in SupportKind.objects.filter(municipality=municipality, code__in=codes)}


def _seed_exemptions(
    municipality: Municipality, kinds: dict[str, SupportKind], recorded_by: User, counts: Counter[str]
) -> None:
    for demo in DEMO_EXEMPTIONS:
        decision, created = ExemptionDecision.objects.get_or_create(
            municipality=municipality,
            reference=demo.reference,
            defaults={
                "board": "Socialnämnden",
                "decided_on": demo.decided_on,
                "valid_from": demo.valid_from,
                "valid_to": demo.valid_to,
                "reason": demo.reason,
                "reason_text": demo.reason_text,
                "recorded_by": recorded_by,
            },
        )
        if created:
            decision.kinds.set([kinds[code] for code in demo.kinds])
            counts["exemptions"] += 1


def _seed_partners(unit: Unit, *, place: str, seed: int, counts: Counter[str]) -> list[Partner]:
    rng = random.Random(f"{seed}/{unit.code}/partners")  # noqa: S311 - demo data, not security
    chosen = [*CORE_PARTNERS, *rng.sample(EXTRA_PARTNERS, rng.randint(0, 2))]
    area = unit.name.removeprefix("Anhörigstöd").strip() or place
    partners = []
    for demo in chosen:
        partner, created = Partner.objects.get_or_create(
            unit=unit,
            name=demo.name.format(ort=place, area=area, kommun=unit.municipality.name),
            defaults={
                "organisation_type": demo.organisation_type,
                "description": demo.description,
                "website": demo.website,
                "offers_respite": demo.offers_respite,
            },
        )
        counts["partners"] += created
        partners.append(partner)
    return partners


# --------------------------------------------------------------------------
# One team's year of work
# --------------------------------------------------------------------------


@dataclass
class PlannedTalk:
    talk: Talk
    focus: list[str]
    created: dt.datetime
    note_text: str = ""


@dataclass
class CarerPlan:
    carer: Carer
    person: Person
    first_talk: dt.date
    created: dt.datetime
    consultant: User  # the carer's stödkontakt
    talk_days: list[dt.date] = field(default_factory=list)


class UnitSeeder:
    """Plans a team's carers and talks in memory, then writes them with bulk_create."""

    def __init__(
        self,
        *,
        unit: Unit,
        kinds: dict[str, SupportKind],
        partners: list[Partner],
        consultants: list[User],
        today: dt.date,
        seed: int,
        place: str,
        personnummer: dict[tuple[int, str], list[str]],
        used_personnummer: set[str],
    ) -> None:
        self.rng = random.Random(f"{seed}/{unit.code}")  # noqa: S311 - demo data, not security
        self.unit = unit
        self.kinds = kinds
        self.partners = partners
        self.consultants = consultants
        self.today = today
        self.place = place
        self.area = unit.name.removeprefix("Anhörigstöd").strip() or place
        self.personnummer = personnummer
        self.used_personnummer = used_personnummer
        self.rules = {code: RuleBook(kinds[code]) for code in ("individual_talk", "talk_series")}
        self.first_day = today - dt.timedelta(days=365)
        self.last_day = today - dt.timedelta(days=1)
        self.days = [self.first_day + dt.timedelta(days=offset) for offset in range(365)]
        self.day_weights = [self._day_weight(day) for day in self.days]
        self.plans: list[CarerPlan] = []
        self.talks: list[PlannedTalk] = []
        self.respite_partners = [partner for partner in partners if partner.offers_respite]

    # --- Dates and times -------------------------------------------------

    @staticmethod
    def _day_weight(day: dt.date) -> float:
        if day.weekday() >= 5:
            return 0.03
        if day.month == 7 or (day.month == 12 and day.day >= 22) or (day.month == 1 and day.day <= 6):
            return 0.35  # holidays: the consultant is away part of the time (assumption)
        return 1.0

    def _random_day(self, *, after: dt.date | None = None) -> dt.date:
        if after is None or after < self.first_day:
            return self.rng.choices(self.days, self.day_weights)[0]
        start = (after - self.first_day).days
        return self.rng.choices(self.days[start:], self.day_weights[start:])[0]

    def _workday(self, day: dt.date) -> dt.date:
        """Most talks fall on a weekday: a planned weekend day moves to Monday (or Friday)."""
        if day.weekday() >= 5 and self.rng.random() > 0.08:
            monday = day + dt.timedelta(days=7 - day.weekday())
            return monday if monday <= self.last_day else day - dt.timedelta(days=day.weekday() - 4)
        return day

    def _moment(self, day: dt.date) -> dt.datetime:
        rng = self.rng
        if day.weekday() >= 5:
            return _aware(day, rng.randint(10, 14), rng.choice((0, 30)))
        if rng.random() < 0.08:  # an evening talk, for carers who work (assumption: 8 %)
            hour = rng.randint(17, 19)
            return _aware(day, hour, rng.choice((0, 15, 30)) if hour < 19 else rng.choice((0, 30)))
        return _aware(day, _pick(rng, START_HOURS), _pick(rng, START_MINUTES))

    # --- Carers ----------------------------------------------------------

    def plan_carers(self) -> None:
        rng = self.rng
        first_number = Carer.objects.filter(unit=self.unit).aggregate(n=Max("number"))["n"] or 0
        for number in range(first_number + 1, first_number + 1 + rng.randint(140, 160)):
            person = _draw_person(rng, self.today)
            age = self.today.year - person.birth_year
            language = (
                _pick(rng, (("svenska", 92), ("arabiska", 3), ("somaliska", 3), ("persiska", 2)))
                if person.under_18
                else _pick(rng, LANGUAGES)
            )
            interpreter = language != "svenska" and not person.under_18 and rng.random() < 0.45
            if rng.random() < 0.68:  # new this year
                first_contact = self._random_day()
                first_talk = first_contact
            else:  # known from earlier years, still in contact
                first_contact = self.first_day - dt.timedelta(days=rng.randint(20, 1000))
                first_talk = self._random_day(after=self.first_day + dt.timedelta(days=rng.randint(0, 120)))
            consultant = rng.choice(self.consultants)
            carer = Carer(
                code=_uuid(rng),
                unit=self.unit,
                number=number,
                birth_year=person.birth_year,
                gender=person.gender,
                language=language,
                interpreter_needed=interpreter,
                relation=person.relation,
                target_group=person.target_group,
                close_person_has_municipal_contact=_pick(rng, MUNICIPAL_CONTACT),
                care_hours=_pick(rng, CARE_HOURS),
                occupation=_occupation(rng, age),
                under_18=person.under_18,
                first_contact_channel=_pick(rng, CHANNELS),
                support_contact=consultant,
            )
            if rng.random() < 0.86:  # most carers give their name; advice talks do not require it
                self._give_identity(carer, person)
            created = self._moment(self._workday(first_contact))
            self.plans.append(CarerPlan(carer, person, first_talk, created, consultant))

    def _give_identity(self, carer: Carer, person: Person) -> None:
        rng = self.rng
        names = NAMES_BY_LANGUAGE.get(carer.language, SWEDISH_NAMES)
        if person.under_18 and carer.language == "svenska":
            names = YOUNG_SWEDISH_NAMES
        if person.gender == Gender.WOMAN:
            carer.first_name = rng.choice(names.women)
        elif person.gender == Gender.MAN:
            carer.first_name = rng.choice(names.men)
        else:
            carer.first_name = rng.choice(names.women + names.men)
        carer.last_name = rng.choice(names.surnames)
        if not person.under_18 and rng.random() < 0.35:
            carer.email = f"{_ascii(carer.first_name)}.{_ascii(carer.last_name)}@mail.example"
        if rng.random() < 0.85:
            carer.phone = f"{FICTION_MOBILE_PREFIX}{rng.randint(5, 99):02d}"
        if rng.random() < 0.7:
            free = [
                number
                for number in self.personnummer.get((person.birth_year, person.gender), [])
                if number not in self.used_personnummer
            ]
            if free:
                carer.personnummer = rng.choice(free)
                self.used_personnummer.add(carer.personnummer)

    # --- Talks -----------------------------------------------------------

    def plan_talks(self) -> None:
        rng = self.rng
        linked_advice = 0
        for plan in self.plans:
            day = plan.first_talk
            for index in range(_pick(rng, TALKS_PER_CARER)):
                if index:
                    day += dt.timedelta(days=_pick(rng, DAYS_BETWEEN_TALKS) + rng.randint(-3, 3))
                if day > self.last_day:
                    break
                talk = self._advice_talk(plan, self._workday(day), first=index == 0)
                linked_advice += talk is not None
        self._plan_series()
        for _ in range(round(linked_advice * rng.uniform(0.30, 0.36))):
            self._anonymous_talk()

    def _advice_talk(self, plan: CarerPlan, day: dt.date, *, first: bool) -> PlannedTalk | None:
        rng = self.rng
        carer = plan.carer
        consultant = plan.consultant if rng.random() < 0.9 else rng.choice(self.consultants)
        talk_type = _pick(rng, FIRST_TALK_TYPES if first else LATER_TALK_TYPES)
        return self._add_talk(
            kind_code="individual_talk",
            day=day,
            carer=carer,
            person=plan.person,
            consultant=consultant,
            mode=_pick(rng, ADVICE_MODES),
            talk_type=talk_type,
            initiator=_pick(rng, FIRST_INITIATORS if first else LATER_INITIATORS),
            informed=_pick(rng, INFORMED_FIRST if first else INFORMED_LATER),
            plan=plan,
        )

    def _anonymous_talk(self) -> None:
        rng = self.rng
        self._add_talk(
            kind_code="individual_talk",
            day=self._random_day(),
            carer=None,
            person=_draw_person(rng, self.today),
            consultant=rng.choice(self.consultants),
            mode=_pick(rng, ANONYMOUS_MODES),
            talk_type=_pick(rng, ANONYMOUS_TALK_TYPES),
            initiator=_pick(rng, FIRST_INITIATORS),
            informed=_pick(rng, INFORMED_FIRST),
        )

    def _plan_series(self) -> None:
        """Talk series (an insats): anonymous while an exemption covers them, else documented."""
        rng = self.rng
        candidates = [plan for plan in self.plans if plan.carer.has_identity and not plan.person.under_18]
        weights = [4.0 if plan.person.target_group in SERIES_TARGETS else 1.0 for plan in candidates]
        episodes = rng.randint(14, 20)
        taken: set[int] = set()
        attempts = 0
        while episodes and candidates and attempts < 200:
            attempts += 1
            plan = rng.choices(candidates, weights)[0]
            start = plan.first_talk + dt.timedelta(days=rng.randint(7, 45))
            if plan.carer.number in taken or start > self.last_day - dt.timedelta(days=21):
                continue
            taken.add(plan.carer.number)
            episodes -= 1
            sessions = rng.randint(5, 8)
            spacing = 7 if rng.random() < 0.7 else 14
            for session in range(1, sessions + 1):
                day = start + dt.timedelta(days=spacing * (session - 1))
                if day > self.last_day:
                    break
                text = SERIES_CLOSING_TEXT if session == sessions else rng.choice(SERIES_NOTE_TEXTS)
                self._add_talk(
                    kind_code="talk_series",
                    day=self._workday(day),
                    carer=plan.carer,
                    person=plan.person,
                    consultant=plan.consultant,
                    mode=_pick(rng, SERIES_MODES),
                    talk_type=TalkType.ACQUAINTANCE if session == 1 else _pick(rng, SERIES_TALK_TYPES),
                    initiator=Initiator.CARER if session > 1 else _pick(rng, FIRST_INITIATORS),
                    informed=_pick(rng, INFORMED_FIRST if session == 1 else INFORMED_LATER),
                    plan=plan,
                    note_text=f"Samtal {session} av {sessions} i samtalsserien. {text}",
                )

    def _add_talk(
        self,
        *,
        kind_code: str,
        day: dt.date,
        carer: Carer | None,
        person: Person,
        consultant: User,
        mode: str,
        talk_type: str,
        initiator: str,
        informed: str,
        plan: CarerPlan | None = None,
        note_text: str = "",
    ) -> PlannedTalk | None:
        rng = self.rng
        started_at = self._moment(day)
        on = timezone.localdate(started_at)
        rule = self.rules[kind_code].on(on)
        if rule.identity is policy.Requirement.FORBIDDEN:
            carer = None  # under an exemption (or not an insats): statistics only
        elif rule.identity is policy.Requirement.REQUIRED and carer is None:
            return None  # an insats without an exemption is never recorded anonymously
        duration = rng.choice(DURATIONS[mode])
        if talk_type == TalkType.PLANNING and rng.random() < 0.45:
            material = "COAT"
        elif kind_code == "talk_series" and rng.random() < 0.15:
            material = "ACT-övningar"
        else:
            material = "Samtalsguide för anhörigsamtal" if rng.random() < 0.03 else ""
        referral = None
        if self.partners and rng.random() < (0.55 if talk_type == TalkType.REFERRAL else 0.05):
            fitting = PARTNER_TYPES_FOR_TARGET.get(person.target_group, set())
            referral = rng.choices(
                self.partners, [4.0 if p.organisation_type in fitting else 1.0 for p in self.partners]
            )[0]
        identified = carer is not None
        stats = carer if carer is not None else person
        talk = Talk(
            code=_uuid(rng),
            unit=self.unit,
            consultant=consultant,
            support_kind=self.kinds[kind_code],
            carer=carer,
            exemption=rule.exemption,
            started_at=started_at,
            duration_minutes=duration,
            mode=mode,
            talk_type=talk_type,
            initiator=initiator,
            structured_material=material,
            time_of_day=policy.time_of_day(started_at),
            informed_right_to_apply=informed,
            asked_about_children=_pick(rng, ASKED_ABOUT_CHILDREN),
            referral_partner=referral,
            follow_up_on=on + dt.timedelta(days=rng.randint(14, 42)) if identified and rng.random() < 0.3 else None,
            next_step=rng.choice(NEXT_STEPS) if identified and rng.random() < 0.35 else "",
            bring_up_next_time=rng.choice(BRING_UP_NEXT_TIME) if identified and rng.random() < 0.2 else "",
            age_band=age_band(stats.birth_year, on=on),
            gender=stats.gender,
            target_group=stats.target_group,
        )
        self._follow_up_done(talk)
        if talk.target_group in (TargetGroup.BEREAVED, TargetGroup.END_OF_LIFE) and rng.random() < 0.6:
            focus: list[str] = [TalkFocus.BEREAVEMENT]
        else:
            focus = [FOCUS_FOR_TYPE[talk_type]]
        for _ in range(_pick(rng, FOCUS_COUNT) - 1):
            focus.append(_pick(rng, EXTRA_FOCUS))
        # Journal notes document an insats; an identified advice talk needs none (PRODUCT §2).
        documented = (
            identified and rule.tier == DocumentationTier.INSATS and rule.notes is not policy.Requirement.FORBIDDEN
        )
        created = started_at + dt.timedelta(minutes=duration + rng.randint(2, 180))
        planned = PlannedTalk(talk, list(dict.fromkeys(focus)), created, note_text if documented else "")
        self.talks.append(planned)
        if plan is not None and identified:
            plan.talk_days.append(on)
        return planned

    # --- The rest of the casework ---------------------------------------

    def _close_some(self, plan: CarerPlan) -> None:
        last = timezone.localdate(plan.carer.last_entry_at)
        if last <= self.last_day - dt.timedelta(days=45) and self.rng.random() < 0.12:
            plan.carer.status = Carer.Status.CLOSED
            plan.carer.closed_on = last + dt.timedelta(days=self.rng.randint(7, 40))
            plan.carer.close_reason = _pick(self.rng, CLOSE_REASONS)

    def _journal_notes(self) -> list[tuple[JournalNote, dt.datetime, dt.datetime]]:
        rng = self.rng
        notes: list[tuple[JournalNote, dt.datetime, dt.datetime]] = []
        for planned in self.talks:
            if not planned.note_text:
                continue
            talk = planned.talk
            end = talk.started_at + dt.timedelta(minutes=talk.duration_minutes)
            signed_at = end + dt.timedelta(minutes=rng.randint(20, 240))
            note = JournalNote(
                code=_uuid(rng),
                carer=talk.carer,
                talk=talk,
                author=talk.consultant,
                text=planned.note_text,
                signed_at=signed_at,
            )
            notes.append((note, end + dt.timedelta(minutes=rng.randint(5, 19)), signed_at))
        # A couple of signed notes turned out wrong: marked erroneous, never edited (PRODUCT §2).
        cutoff = self.last_day - dt.timedelta(days=14)
        old_enough = [row for row in notes if row[1].date() <= cutoff]
        for note, _created, signed_at in rng.sample(old_enough, min(2, len(old_enough))):
            note.marked_erroneous_at = signed_at + dt.timedelta(hours=rng.randint(20, 70))
            note.marked_erroneous_by = note.author
            note.erroneous_reason = rng.choice(ERRONEOUS_REASONS)
        return notes

    def write(self, counts: Counter[str]) -> None:
        rng = self.rng
        talk_times: dict[int, list[dt.datetime]] = {}
        for planned in self.talks:
            if planned.talk.carer is not None:
                talk_times.setdefault(planned.talk.carer.number, []).append(planned.talk.started_at)
        for plan in self.plans:
            times = talk_times.get(plan.carer.number, [])
            # A carer new this year is registered at the first talk, not before it.
            plan.created = min([plan.created, *times])
            plan.carer.last_entry_at = max([plan.created, *times])
            self._close_some(plan)
        Carer.objects.bulk_create([plan.carer for plan in self.plans])
        _backdate(Carer, [(plan.carer, plan.created, plan.created) for plan in self.plans])

        Talk.objects.bulk_create([planned.talk for planned in self.talks])
        _backdate(Talk, [(planned.talk, planned.created, planned.created) for planned in self.talks])
        focus_entries = TalkFocusEntry.objects.bulk_create(
            TalkFocusEntry(talk=planned.talk, focus=focus) for planned in self.talks for focus in planned.focus
        )
        referrals: list[tuple[Referral, dt.datetime, dt.datetime]] = []
        for planned in self.talks:
            talk = planned.talk
            if talk.referral_partner is not None:
                referral = Referral(
                    carer=talk.carer,
                    talk=talk,
                    unit=self.unit,
                    partner=talk.referral_partner,
                    referred_on=timezone.localdate(talk.started_at),
                    respite=talk.referral_partner.offers_respite,
                    recorded_by=talk.consultant,
                )
                referrals.append((referral, planned.created, planned.created))

        notes = self._journal_notes()
        JournalNote.objects.bulk_create([note for note, _created, _signed in notes])
        corrections: list[tuple[JournalNote, dt.datetime, dt.datetime]] = []
        stamped_notes: list[tuple[JournalNote, dt.datetime, dt.datetime]] = []
        for note, created, _signed in notes:
            if note.marked_erroneous_at is None:
                stamped_notes.append((note, created, created))
                continue
            stamped_notes.append((note, created, note.marked_erroneous_at))
            correction = JournalNote(
                code=_uuid(rng),
                carer=note.carer,
                talk=note.talk,
                author=note.author,
                text=(
                    f"Rättelse av anteckningen {timezone.localdate(created):%Y-%m-%d}: den felmarkerade "
                    "anteckningen ersätts av denna. Samtalet genomfördes enligt planen i samtalsserien."
                ),
                signed_at=note.marked_erroneous_at + dt.timedelta(minutes=15),
                corrects=note,
            )
            corrected_at = note.marked_erroneous_at + dt.timedelta(minutes=5)
            corrections.append((correction, corrected_at, corrected_at + dt.timedelta(minutes=10)))
        JournalNote.objects.bulk_create([note for note, _created, _updated in corrections])
        _backdate(JournalNote, stamped_notes + corrections)

        identified = [plan for plan in self.plans if plan.carer.has_identity and plan.talk_days]
        respite, respite_referrals = self._respite(identified)
        referrals += respite_referrals
        Referral.objects.bulk_create([referral for referral, _created, _updated in referrals])
        _backdate(Referral, referrals)
        RespiteGrant.objects.bulk_create([grant for grant, _created, _updated in respite])
        _backdate(RespiteGrant, respite)
        consents = self._consents(identified)
        Consent.objects.bulk_create([consent for consent, _created, _updated in consents])
        _backdate(Consent, consents)
        items = self._plan_items(identified)
        SupportPlanItem.objects.bulk_create([item for item, _created, _updated in items])
        _backdate(SupportPlanItem, items)

        counts["carers"] += len(self.plans)
        counts["talks"] += len(self.talks)
        counts["anonymous_talks"] += sum(planned.talk.carer is None for planned in self.talks)
        counts["talks_under_exemption"] += sum(planned.talk.exemption is not None for planned in self.talks)
        counts["talk_focus_entries"] += len(focus_entries)
        counts["referrals"] += len(referrals)
        counts["journal_notes"] += len(notes) + len(corrections)
        counts["respite_grants"] += len(respite)
        counts["consents"] += len(consents)
        counts["plan_items"] += len(items)

    def _respite(
        self, identified: list[CarerPlan]
    ) -> tuple[list[tuple[RespiteGrant, dt.datetime, dt.datetime]], list[tuple[Referral, dt.datetime, dt.datetime]]]:
        """Avlösning for about one carer in ten, and a few referrals to respite (assumptions)."""
        rng = self.rng
        grants: list[tuple[RespiteGrant, dt.datetime, dt.datetime]] = []
        referrals: list[tuple[Referral, dt.datetime, dt.datetime]] = []
        if not self.respite_partners:
            return grants, referrals
        heavy = [
            plan
            for plan in identified
            if plan.carer.care_hours in (CareHours.H11_20, CareHours.OVER_20)
            or plan.person.target_group in (TargetGroup.DEMENTIA, TargetGroup.ELDERLY, TargetGroup.DISABILITY)
        ]
        for plan in rng.sample(heavy, min(round(len(self.plans) * 0.10), len(heavy))):
            provider = rng.choice(self.respite_partners)
            until = plan.carer.closed_on or self.last_day
            day = min(plan.talk_days[0] + dt.timedelta(days=rng.randint(14, 60)), until)
            for _ in range(rng.randint(1, 6)):
                if day > until:
                    break
                hours = Decimal(rng.choice(("2", "3", "4", "4", "6", "8", "8", "12", "16", "3.5")))
                grant = RespiteGrant(
                    carer=plan.carer,
                    given_on=day,
                    hours=hours,
                    provider=provider,
                    recorded_by=plan.consultant,
                )
                grants.append((grant, _aware(day, 16), _aware(day, 16)))
                day += dt.timedelta(days=rng.randint(21, 40))
        for plan in rng.sample(identified, min(round(len(self.plans) * 0.03), len(identified))):
            day = rng.choice(plan.talk_days)
            referral = Referral(
                carer=plan.carer,
                unit=self.unit,
                partner=rng.choice(self.respite_partners),
                referred_on=day,
                respite=True,
                recorded_by=plan.consultant,
            )
            referrals.append((referral, _aware(day, 16, 30), _aware(day, 16, 30)))
        return grants, referrals

    def _consents(self, identified: list[CarerPlan]) -> list[tuple[Consent, dt.datetime, dt.datetime]]:
        """Samtycke from about one identified carer in five (assumption)."""
        rng = self.rng
        to_whom = {
            "Vårdcentralen": f"Vårdcentralen {self.area}",
            "Biståndshandläggare": f"Biståndshandläggare, {self.unit.municipality.name}",
            "Minnesmottagningen": f"Minnesmottagningen {self.place}",
            "Hemtjänsten": f"Hemtjänsten {self.area}",
            "Elevhälsan": "Elevhälsan i barnets skola",
        }
        scopes = dict(CONSENTS)
        consents: list[tuple[Consent, dt.datetime, dt.datetime]] = []
        for plan in rng.sample(identified, round(len(identified) * 0.2)):
            if plan.person.relation == Relation.PARENT:
                key = "Elevhälsan"
            elif plan.person.target_group == TargetGroup.DEMENTIA:
                key = rng.choice(("Minnesmottagningen", "Vårdcentralen", "Hemtjänsten"))
            else:
                key = rng.choice(("Vårdcentralen", "Biståndshandläggare", "Hemtjänsten"))
            given_on = rng.choice(plan.talk_days)
            revoked_on = given_on + dt.timedelta(days=rng.randint(30, 200)) if rng.random() < 0.06 else None
            if revoked_on is not None and revoked_on > self.last_day:
                revoked_on = None
            consent = Consent(
                carer=plan.carer,
                to_whom=to_whom[key],
                scope=scopes[key],
                given_on=given_on,
                revoked_on=revoked_on,
                recorded_by=plan.consultant,
            )
            changed = _aware(revoked_on, 10) if revoked_on else _aware(given_on, 16)
            consents.append((consent, _aware(given_on, 16), changed))
        return consents

    def _follow_up_done(self, talk: Talk) -> None:
        """Consultants mark most follow-ups done, nearly all the older ones, so "Idag" shows a
        handful overdue, as in a real week, not a year of them. Decided by the talk's code,
        not by a draw, so the rest of the demo comes out as before."""
        due = talk.follow_up_on
        if due is None or due >= self.today:
            return
        done = talk.code.int % 20 != 0 if (self.today - due).days > 7 else talk.code.int % 2 == 0
        if done:
            talk.follow_up_done_at, talk.follow_up_done_by = _aware(due, 15), talk.consultant

    def _plan_items(self, identified: list[CarerPlan]) -> list[tuple[SupportPlanItem, dt.datetime, dt.datetime]]:
        """A stödplan after COAT's four areas for some carers in longer contact (assumption)."""
        rng = self.rng
        items: list[tuple[SupportPlanItem, dt.datetime, dt.datetime]] = []
        longer = [plan for plan in identified if len(plan.talk_days) >= 2]
        for plan in rng.sample(longer, min(round(len(identified) * 0.18), len(longer))):
            drawn_up = plan.talk_days[1]
            for area in rng.sample(list(PLAN_ITEMS), rng.randint(1, 4)):
                goal, actions = rng.choice(PLAN_ITEMS[area])
                follow_up_on = drawn_up + dt.timedelta(days=rng.randint(30, 120))
                item = SupportPlanItem(
                    carer=plan.carer,
                    area=area,
                    goal=goal,
                    actions=actions,
                    follow_up_on=follow_up_on,
                    done=follow_up_on < self.today and rng.random() < 0.5,
                )
                # Nearly all of the older ones are followed up by now (decided by the date, not
                # a draw, so the rest of the demo comes out as before): a few stay overdue.
                if not item.done and (self.today - follow_up_on).days > 14:
                    item.done = (self.today - follow_up_on).days % 12 != 0
                if item.done:
                    item.done_at, item.done_by = _aware(follow_up_on, 15), plan.consultant
                items.append((item, _aware(drawn_up, 16), _aware(drawn_up, 16)))
        return items


def _backdate(model: type[Model], rows: Sequence[tuple[Any, dt.datetime, dt.datetime]]) -> None:
    """Give bulk-created rows the times they would have had: auto_now_add wrote "now".

    One parametrised UPDATE run with executemany: bulk_update's CASE expressions cost
    seconds for a few thousand rows.
    """
    if not rows:
        return
    meta = model._meta
    created_field = meta.get_field("created_at")
    updated_field = meta.get_field("updated_at")
    assert isinstance(created_field, models.DateTimeField) and isinstance(updated_field, models.DateTimeField)
    assert meta.pk is not None
    quote = connection.ops.quote_name
    # Only quoted names from the model's own _meta go into the text; the values are parameters.
    sql = (
        f"UPDATE {quote(meta.db_table)} SET {quote(str(created_field.column))} = %s, "  # noqa: S608
        f"{quote(str(updated_field.column))} = %s WHERE {quote(str(meta.pk.column))} = %s"
    )
    params = []
    for obj, created, updated in rows:
        obj.created_at, obj.updated_at = created, updated
        params.append(
            (
                created_field.get_db_prep_save(created, connection),
                updated_field.get_db_prep_save(updated, connection),
                obj.pk,
            )
        )
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


# --------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------


def seed_contacts(*, today: dt.date | None = None, seed: int = 2026) -> dict[str, int]:
    """Add the demo municipalities' kinds of support, exemptions, partners, carers and a year of
    talks (the 365 days before ``today``). Idempotent; returns what it created, by kind."""
    today = today or timezone.localdate()
    counts: Counter[str] = Counter()
    with transaction.atomic():
        municipalities = {m.kommunkod: m for m in Municipality.objects.filter(kommunkod__in=MUNICIPALITIES)}
        manager = User.objects.filter(email=MANAGER_EMAIL).first()
        if len(municipalities) != len(MUNICIPALITIES) or manager is None:
            raise LookupError("The demo organisation is missing: run seed_organisation() first.")
        personnummer = _personnummer_index()
        used = set(Carer.objects.exclude(personnummer="").values_list("personnummer", flat=True))
        for kommunkod in MUNICIPALITIES:
            municipality = municipalities[kommunkod]
            kinds = _seed_support_kinds(municipality, counts)
            if kommunkod == "9901":
                _seed_exemptions(municipality, kinds, manager, counts)
            place = PLACES[kommunkod]
            units = Unit.objects.filter(municipality=municipality, code__in=DEMO_UNITS).select_related("municipality")
            for unit in units.order_by("code"):
                partners = _seed_partners(unit, place=place, seed=seed, counts=counts)
                consultants = list(
                    User.objects.filter(memberships__unit=unit, memberships__role=Role.CONSULTANT).order_by("email")
                )
                if not consultants or Talk.objects.filter(unit=unit).exists():
                    continue  # already seeded (or no one to do the work)
                seeder = UnitSeeder(
                    unit=unit,
                    kinds=kinds,
                    partners=partners,
                    consultants=consultants,
                    today=today,
                    seed=seed,
                    place=place,
                    personnummer=personnummer,
                    used_personnummer=used,
                )
                seeder.plan_carers()
                seeder.plan_talks()
                seeder.write(counts)
    return {key: counts[key] for key in COUNT_KEYS}
