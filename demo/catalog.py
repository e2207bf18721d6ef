"""The demo's fixed cast: practices, providers, payers, fees, logins and synthetic name lists."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from rcm.practice.models import ClaimFilingIndicator, Role, SubmissionMethod
from rcm.practice.validators import npi_check_digit

SEED = 2026
DEMO_PASSWORD = "demo-rcm-2026"  # noqa: S105 (a published demo password, not a secret)
VIA = "command:load_demo"


def npi_from(first_nine: str) -> str:
    """A well-formed NPI: the nine digits given plus their Luhn check digit."""
    return first_nine + str(npi_check_digit(first_nine))


@dataclass(frozen=True)
class ProviderSpec:
    first_name: str
    last_name: str
    credential: str
    npi_stem: str
    taxonomy: str
    sees: str  # "all", "children" or "adults"


@dataclass(frozen=True)
class PracticeSpec:
    key: str
    name: str
    npi_stem: str
    tin: str
    taxonomy: str
    address1: str
    city: str
    zip_code: str
    phone: str
    patients: int
    fee_factor: Decimal
    # Share of patients by age band: children (1-17), adults (18-64), seniors (66+).
    age_mix: tuple[int, int, int]
    towns: tuple[tuple[str, str], ...]
    area_code: str
    providers: tuple[ProviderSpec, ...]

    @property
    def npi(self) -> str:
        return npi_from(self.npi_stem)


PRACTICES = (
    PracticeSpec(
        key="maple", name="Maple Grove Family Medicine", npi_stem="154893021", tin="371948205",
        taxonomy="207Q00000X", address1="2400 Maple Grove Rd", city="Springfield",
        zip_code="62704", phone="2175550100", patients=170, fee_factor=Decimal("1.00"),
        age_mix=(18, 55, 27), area_code="217",
        towns=(("Springfield", "62704"), ("Springfield", "62702"), ("Chatham", "62629"),
               ("Rochester", "62563"), ("Sherman", "62684"), ("Riverton", "62561"),
               ("Auburn", "62615")),
        providers=(
            ProviderSpec("Helen", "Okonkwo", "MD", "163047812", "207Q00000X", "all"),
            ProviderSpec("Marcus", "Feld", "DO", "172958340", "207Q00000X", "all"),
            ProviderSpec("Jenna", "Albright", "NP", "185420967", "363LF0000X", "all"),
            ProviderSpec("Tomas", "Reyes", "PA", "190375126", "363A00000X", "all"),
        ),
    ),
    PracticeSpec(
        key="riverside", name="Riverside Pediatrics & Internal Medicine", npi_stem="172036495",
        tin="372650918", taxonomy="193200000X", address1="815 Riverside Dr", city="Peoria",
        zip_code="61602", phone="3095550100", patients=130, fee_factor=Decimal("1.06"),
        age_mix=(45, 35, 20), area_code="309",
        towns=(("Peoria", "61602"), ("Peoria", "61614"), ("East Peoria", "61611"),
               ("Pekin", "61554"), ("Peoria Heights", "61616"), ("Washington", "61571"),
               ("Morton", "61550")),
        providers=(
            ProviderSpec("Anika", "Shah", "MD", "114620378", "208000000X", "children"),
            ProviderSpec("Grace", "Liu", "MD", "128503964", "208000000X", "children"),
            ProviderSpec("Paul", "Kowalczyk", "MD", "136972405", "207R00000X", "adults"),
            ProviderSpec("Sara", "Lindholm", "NP", "149381026", "363LP0200X", "children"),
        ),
    ),
)  # fmt: skip


@dataclass(frozen=True)
class PayerSpec:
    key: str
    payer_id: str
    name: str
    indicator: str
    timely_filing_days: int
    turnaround_days: int
    prior_auth_codes: tuple[str, ...]
    plan_name: str
    # How the demo adjudicates: allowed share of the charge, patient cost sharing.
    allowed_ratio: Decimal
    copay: Decimal
    coinsurance: Decimal
    deductible_chance: float
    # TRN03, the payment method and the weekday (0 = Monday) and cycle of its payment runs.
    payer_identifier: str
    payment_method: str
    pay_weekday: int
    pay_cycle_days: int
    # A payer that takes the CMS-1500 by mail, at this address (street, city, state, ZIP): its
    # queued claims are the billers' "To print" list.
    paper_claims_address: tuple[str, str, str, str] | None = None

    @property
    def submission_method(self) -> str:
        paper = self.paper_claims_address is not None
        return SubmissionMethod.PAPER if paper else SubmissionMethod.ELECTRONIC


MB, MC, BL, CI, HM = (
    ClaimFilingIndicator.MEDICARE_B, ClaimFilingIndicator.MEDICAID, ClaimFilingIndicator.BLUE_CROSS,
    ClaimFilingIndicator.COMMERCIAL, ClaimFilingIndicator.HMO,
)  # fmt: skip

PAYERS = (
    PayerSpec("medicare", "MCRBD", "Medicare Part B (Demo Jurisdiction)", MB, 365, 14, (),
              "Medicare Part B", Decimal("0.52"), Decimal("0"), Decimal("0.20"), 0.08,
              "1386021574", "ACH", 1, 7),
    PayerSpec("medicaid", "PSMCD", "Prairie State Medicaid", MC, 180, 21, ("20610", "J3301"),
              "Medicaid Fee for Service", Decimal("0.42"), Decimal("0"), Decimal("0"), 0.0,
              "1370894523", "ACH", 4, 14),
    PayerSpec("bcbs", "BCBPS", "Blue Cross Blue Shield of the Prairie", BL, 180, 10, ("20610",),
              "Blue PPO", Decimal("0.68"), Decimal("30"), Decimal("0.10"), 0.10,
              "1362157890", "ACH", 2, 7),
    PayerSpec("northwind", "NWHLT", "Northwind Health", CI, 90, 14, ("20610", "11102"),
              "Northwind Choice PPO", Decimal("0.72"), Decimal("25"), Decimal("0.20"), 0.10,
              "1911234567", "ACH", 3, 7),
    PayerSpec("contoso", "CNTSO", "Contoso Mutual Insurance", CI, 120, 18, (),
              "Contoso Select", Decimal("0.75"), Decimal("0"), Decimal("0.20"), 0.15,
              "1452369870", "CHK", 0, 14, ("PO BOX 4410", "SPRINGFIELD", "IL", "627054410")),
    PayerSpec("evergreen", "EVHMO", "Evergreen Community HMO", HM, 90, 12,
              ("20610", "J1100", "J3301", "71046"),
              "Evergreen HMO Select", Decimal("0.62"), Decimal("15"), Decimal("0"), 0.0,
              "1473650218", "ACH", 2, 14),
)  # fmt: skip

# The practices' standard charges (per unit), before each practice's own factor.
STANDARD_FEES: dict[str, Decimal] = {
    code: Decimal(charge)
    for code, charge in {
        "99202": "120.00", "99203": "185.00", "99204": "275.00", "99205": "350.00",
        "99211": "45.00", "99212": "95.00", "99213": "150.00", "99214": "215.00",
        "99215": "295.00", "99392": "210.00", "99393": "210.00", "99394": "225.00",
        "99395": "235.00", "99396": "250.00", "G0439": "210.00", "G0444": "40.00",
        "G0008": "35.00", "90471": "35.00", "90686": "40.00", "96127": "25.00",
        "96372": "45.00", "36415": "15.00", "81002": "18.00", "82947": "18.00",
        "83036": "40.00", "85025": "35.00", "80053": "48.00", "80061": "55.00",
        "87880": "38.00", "93000": "65.00", "71046": "120.00", "11102": "165.00",
        "17110": "175.00", "20610": "190.00", "69210": "95.00", "J1100": "3.50",
        "J3301": "8.00",
    }.items()
}  # fmt: skip


@dataclass(frozen=True)
class DemoLogin:
    username: str
    first_name: str
    last_name: str
    grants: tuple[tuple[str, str], ...]  # (practice key, role)
    # The operator runs the installation (the Django admin) and is a member of no practice;
    # everyone else, administrators included, works in the app only.
    operator: bool = False


LOGINS = (
    DemoLogin("frontdesk", "Dana", "Whitaker", (("maple", Role.FRONT_DESK),)),
    DemoLogin("coder", "Corey", "Lindqvist", (("maple", Role.CODER),)),
    DemoLogin("biller", "Billie", "Okafor", (("maple", Role.BILLER),)),
    DemoLogin("admin", "Alex", "Moreno", (("maple", Role.ADMINISTRATOR),)),
    DemoLogin("agency", "Avery", "Chen", (("maple", Role.BILLER), ("riverside", Role.BILLER))),
    DemoLogin("pedsadmin", "Priya", "Raman", (("riverside", Role.ADMINISTRATOR),)),
    DemoLogin("operator", "Ola", "Lindgren", (), operator=True),
)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Synthetic people: common given names and surnames, combined at random. Never real patients.
FEMALE_NAMES = _words(
    "Mary Linda Patricia Susan Deborah Karen Nancy Donna Sandra Carol Sharon Janet Laura Julie "
    "Angela Melissa Amy Heather Rachel Megan Jessica Ashley Emily Hannah Olivia Sophia Emma "
    "Ava Mia Chloe Grace Lily Zoe Nora Ella Aria Maya Leah Ruth Joan Alice Evelyn Frances Irene "
    "Rosa Lucia Ana Keisha Tamika Priya Mei Ingrid"
)
MALE_NAMES = _words(
    "James Robert John Michael David William Richard Thomas Charles Daniel Mark Steven Paul "
    "Kevin Brian Jason Eric Ryan Justin Brandon Tyler Kyle Aaron Noah Liam Mason Ethan Lucas "
    "Logan Owen Caleb Jack Henry Leo Eli Isaac Gavin Harold Walter Frank Raymond Eugene Carl "
    "Luis Carlos Jamal Andre Raj Wei Tomasz Sven"
)
SURNAMES = _words(
    "Smith Johnson Williams Brown Jones Miller Davis Garcia Rodriguez Wilson Martinez Anderson "
    "Taylor Thomas Hernandez Moore Martin Jackson Thompson White Lopez Lee Gonzalez Harris "
    "Clark Lewis Robinson Walker Perez Hall Young Allen Sanchez Wright King Scott Green Baker "
    "Adams Nelson Hill Ramirez Campbell Mitchell Roberts Carter Phillips Evans Turner Torres "
    "Parker Collins Edwards Stewart Flores Morris Nguyen Murphy Rivera Cook Rogers Morgan "
    "Peterson Cooper Reed Bailey Bell Gomez Kelly Howard Ward Cox Diaz Richardson Wood Watson "
    "Brooks Bennett Gray James Reyes Hughes Price Myers Long Foster Sanders Ross Powell "
    "Sullivan Russell Ortiz Jenkins Perry Butler Barnes Fisher Henderson Coleman Kowalski "
    "Novak Larsen Schmidt Okafor Mensah Patel Kim Tran"
)
MIDDLE_INITIALS = "ABCDEFGHJKLMNPRSTW"
STREETS = (
    "Oak St",
    "Elm St",
    "Maple Ave",
    "Cedar Ln",
    "Walnut St",
    "Chestnut Dr",
    "Lincoln Ave",
    "Washington St",
    "Jefferson St",
    "Adams St",
    "Monroe St",
    "Prairie Rd",
    "Meadow Ln",
    "Sunset Blvd",
    "Lakeview Dr",
    "Hillcrest Rd",
    "Park Ave",
    "Main St",
    "Church St",
    "Mill Rd",
    "Orchard Way",
    "Willow Ct",
    "Birch Ln",
    "Spring St",
    "Ridge Rd",
    "Grant Ave",
    "Locust St",
    "Sycamore Dr",
    "Cherry Ln",
    "Country Club Rd",
)
