"""Who may use each page and API endpoint: the one table the permission matrix checks.

Every URL name of `rcm.urls` (pages and API) needs a rule here, and every HTTP method an API
endpoint accepts by the OpenAPI schema needs its entry: a new page or endpoint without one fails
`tests/web/test_permission_matrix.py` with "add a rule for <name>".

A rule says, per HTTP method, which role group may use it (from `rcm.practice.permissions`), or
SIGNED_IN (any signed-in user: nothing of a practice is shown). `args` fills the URL's
parameters and `body` the request's fields from the objects of practice A that the matrix
creates (`objects`); a rule whose URL or body names such an object is about that object, so its
role must be held in practice A, and a user who is no member of A gets 404. A rule with neither
is a list or a home page: it shows the practices where the user holds the role.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from rcm.practice.permissions import (
    ADMINISTRATION,
    BILLING,
    CLAIM_READERS,
    CODING,
    COVERAGE_READERS,
    EVERYONE,
    FRONT_DESK,
)

SIGNED_IN = ("<any signed-in user>",)


@dataclass(frozen=True)
class Literal:
    """A URL parameter that is not an object's id (a queue's slug, which file)."""

    value: str


@dataclass(frozen=True)
class Rule:
    methods: Mapping[str, tuple[str, ...]]
    args: Mapping[str, str | Literal] = field(default_factory=dict)
    # Per method: the request's fields, each an object's key in `objects` or a Literal.
    body: Mapping[str, Mapping[str, str | Literal]] = field(default_factory=dict)

    def names_an_object(self, method: str) -> bool:
        values = [*self.args.values(), *self.body.get(method, {}).values()]
        return any(not isinstance(value, Literal) for value in values)


def get(roles: tuple[str, ...], **args: str | Literal) -> Rule:
    return Rule(methods={"GET": roles}, args=args)


def post(roles: tuple[str, ...], **args: str | Literal) -> Rule:
    return Rule(methods={"POST": roles}, args=args)


def get_post(roles: tuple[str, ...], **args: str | Literal) -> Rule:
    return Rule(methods={"GET": roles, "POST": roles}, args=args)


# Left out of the matrix, each for a reason of its own.
EXCLUDED = {
    "login": "the sign-in page is for everyone; tests/web/test_sign_in.py",
    "logout": "signing out is for everyone; tests/web/test_sign_in.py",
    "health": "the load balancer's probe is public by design; tests/web/test_home_pages.py",
    "api-token": "the API's sign-in; tests/web/test_api_tokens.py",
    "two-factor-verify": "the sign-in's second step; tests/web/test_two_factor.py",
}

RULES: dict[str, Rule] = {
    # --- the shell ---
    "home": get(SIGNED_IN),  # sends each member to their role's home, others to "no membership"
    "practice-scope": post(SIGNED_IN),
    "security": get(SIGNED_IN),  # the user's own two-factor setting
    "two-factor-enrol": get_post(SIGNED_IN),
    # --- front desk: patients, coverage, visits -------------------------------------------------
    "home-front-desk": get(FRONT_DESK),
    "patient-list": get(EVERYONE),
    "patient-register": get_post(FRONT_DESK),
    "patient-edit": get_post(FRONT_DESK, pk="patient"),
    "patient-merge": Rule(
        methods={"GET": ADMINISTRATION, "POST": ADMINISTRATION},
        args={"pk": "patient"},
        body={"POST": {"other": "duplicate"}},
    ),
    "patient-detail": get(EVERYONE, pk="patient"),
    "coverage-create": get_post(FRONT_DESK, patient_id="patient"),
    "coverage-update": get_post(FRONT_DESK, pk="coverage"),
    "coverage-move": post(FRONT_DESK, pk="coverage"),
    "coverage-card-upload": get_post(FRONT_DESK, pk="coverage"),
    "coverage-card": get(COVERAGE_READERS, pk="card"),
    "coverage-eligibility-check": post(FRONT_DESK, pk="coverage"),
    "eligibility-detail": get(COVERAGE_READERS, pk="check"),
    "eligibility-file": get(ADMINISTRATION, pk="check", which=Literal("request")),
    "visit-new": get_post(FRONT_DESK, patient_id="patient"),
    "visit-detail": get(EVERYONE, pk="visit"),
    "visit-edit": get_post(FRONT_DESK, pk="visit"),
    "visit-ready": post(FRONT_DESK, pk="visit"),
    "eligibility-worklist": get(FRONT_DESK),
    # --- coders ---
    "home-coder": get(CODING),
    "coding-worklist": get(CODING),
    "coding-next": post(CODING),
    "coding-assign": post(CODING, pk="coding_visit"),
    "coding-encounter": get_post(CODING, pk="coding_visit"),
    "coding-edits": post(CODING, pk="coding_visit"),
    "coding-suggestions": get(CODING, pk="coding_visit"),
    "code-search-fragment": get(SIGNED_IN),  # the code sets are public knowledge
    "coding-code-notes": get(CODING + BILLING),
    # --- billers ---
    "home-biller": get(BILLING),
    "claim-queue": get(BILLING, queue=Literal("ready")),
    "claim-detail": get(CLAIM_READERS, pk="claim"),
    "claim-submit": post(BILLING, pk="claim"),
    "claim-edit-override": Rule(
        methods={"POST": BILLING},
        args={"pk": "claim", "edit_id": "claim_edit"},
        body={"POST": {"reason": Literal("The payer confirmed by phone.")}},
    ),
    "claims-submit-ready": post(BILLING),
    "claim-cms1500": get(CLAIM_READERS, pk="claim"),
    "claims-to-print": get(BILLING),
    "claims-print": Rule(methods={"POST": BILLING}, body={"POST": {"claim": "claim"}}),
    "claims-unbilled": get(BILLING),
    "claims-import-837": get_post(BILLING),
    "claims-import-837-detail": get(BILLING, pk="claim_import"),
    "claims-unbilled-bill": post(BILLING, encounter_id="coding_visit"),
    "claims-unbilled-bill-all": post(BILLING),
    "codeset-impact": get(CLAIM_READERS),
    "quarantine": get(BILLING),
    # the denial work queue (denials/denial_views.py)
    "denial-queue": get(BILLING),
    "denials-assign": post(BILLING),  # the ticked denials: none ticked is a refusal in words
    "denial-assign": post(BILLING, pk="denial"),
    "denial-resolve": post(BILLING, pk="denial"),
    "denial-write-off": post(BILLING, pk="denial"),
    "denial-write-offs": get(ADMINISTRATION),
    "denial-write-off-decide": post(ADMINISTRATION, pk="denial_write_off"),
    "quarantine-dismiss": post(BILLING, pk="quarantined"),
    "claim-next-payer": post(BILLING, pk="claim"),
    # remittances and posting exceptions (denials/remittance_views.py)
    "remittance-list": get(BILLING),
    "remittance-detail": get(BILLING, pk="remittance"),
    "remittance-file": get(BILLING, pk="remittance"),
    "posting-exceptions": get(BILLING),
    "posting-exception": get(BILLING, pk="posting_exception"),
    "posting-exception-match": Rule(
        methods={"POST": BILLING},
        args={"pk": "posting_exception"},
        body={"POST": {"claim": "claim"}},
    ),
    "posting-exception-resolve": Rule(
        methods={"POST": BILLING},
        args={"pk": "posting_exception"},
        body={"POST": {"note": Literal("not ours: returned to the payer")}},
    ),
    # editing and correcting a claim (claims/correction_views.py, denials/correction_views.py)
    "claim-edit": get_post(BILLING, pk="claim"),
    "claim-correct": get_post(BILLING, pk="claim"),
    "claim-void": post(BILLING, pk="claim"),
    "claim-split": get_post(BILLING, pk="claim"),
    "claim-rebill-denied": post(BILLING, pk="claim"),
    "claim-queue-bulk": post(BILLING, queue=Literal("ready")),
    "claim-next": post(BILLING, queue=Literal("ready")),
    "claim-note": post(BILLING, pk="claim"),
    "claim-scrub": post(BILLING, pk="claim"),
    "claim-assign": post(BILLING, pk="claim"),
    "claim-follow-up": post(BILLING, pk="claim"),
    "claim-hold": post(BILLING, pk="claim"),
    "claim-release": post(BILLING, pk="claim"),
    "claim-status-check": post(BILLING, pk="claim"),
    "claim-attachment-add": post(BILLING, pk="claim"),
    "claim-attachment-remove": post(BILLING, pk="claim", attachment_id="attachment"),
    "claim-worklists": get_post(BILLING),
    "claim-worklist": get(BILLING, pk="worklist"),
    "claim-worklist-edit": get_post(BILLING, pk="worklist"),
    "claim-worklist-delete": post(BILLING, pk="worklist"),
    # --- administrators ---
    "home-administrator": get(ADMINISTRATION),
    "audit-log": get(ADMINISTRATION),
    # --- practice setup, by the practice's administrators ---
    "practice-setup": get(ADMINISTRATION),  # the practices this user administers
    "practice-setup-members": get_post(ADMINISTRATION, practice_id="practice"),
    "practice-setup-member-role": post(ADMINISTRATION, practice_id="practice", user_id="member"),
    "practice-setup-member-deactivate": post(
        ADMINISTRATION, practice_id="practice", user_id="member"
    ),
    "practice-setup-providers": get_post(ADMINISTRATION, practice_id="practice"),
    "practice-setup-provider-edit": get_post(
        ADMINISTRATION, practice_id="practice", provider_id="provider"
    ),
    "practice-setup-payers": get(ADMINISTRATION, practice_id="practice"),  # read-only list
    "practice-setup-payer-rules": get_post(ADMINISTRATION, practice_id="practice"),
    "practice-setup-payer-rule-edit": get_post(
        ADMINISTRATION, practice_id="practice", rule_id="payer_rule"
    ),
    "practice-setup-payer-rule-deactivate": post(
        ADMINISTRATION, practice_id="practice", rule_id="payer_rule"
    ),
    "practice-setup-fees": get_post(ADMINISTRATION, practice_id="practice"),
    "practice-setup-fee-export": get(
        ADMINISTRATION, practice_id="practice", schedule_id="fee_schedule"
    ),
    "practice-setup-clearinghouse": get_post(ADMINISTRATION, practice_id="practice"),
    # --- the API ---
    "api-schema": get(SIGNED_IN),
    "api-docs": get(SIGNED_IN),
    "api-patient-list": get(EVERYONE),
    "api-patient-detail": get(EVERYONE, pk="patient"),
    "api-patient-register": Rule(
        methods={"POST": FRONT_DESK},
        body={
            "POST": {
                "practice_id": "practice",
                "first_name": Literal("Ada"),
                "last_name": Literal("Lovelace"),
                "date_of_birth": Literal("1990-12-10"),
                "sex": Literal("F"),
                "address1": Literal("1 Main St"),
                "city": Literal("Springfield"),
                "state": Literal("IL"),
                "zip_code": Literal("62701"),
            }
        },
    ),
    "api-patient-duplicates": Rule(
        methods={"POST": FRONT_DESK},
        body={
            "POST": {
                "practice_id": "practice",
                "first_name": Literal("Ada"),
                "last_name": Literal("Lovelace"),
                "date_of_birth": Literal("1990-12-10"),
            }
        },
    ),
    "api-patient-update": Rule(methods={"PATCH": FRONT_DESK}, args={"pk": "patient"}),
    "api-patient-merge": Rule(
        methods={"POST": ADMINISTRATION},
        args={"pk": "patient"},
        body={"POST": {"duplicate_id": "duplicate"}},
    ),
    "api-encounter-list": get(EVERYONE),
    "api-encounter-detail": get(EVERYONE, pk="visit"),
    "api-visit-list": Rule(
        methods={"GET": EVERYONE, "POST": FRONT_DESK},
        body={
            "POST": {
                "patient": "patient",
                "rendering_provider": "provider",
                "date_of_service": Literal("2030-01-02"),
            }
        },
    ),
    "api-visit-detail": Rule(methods={"GET": EVERYONE, "PATCH": FRONT_DESK}, args={"pk": "visit"}),
    "api-visit-ready": Rule(methods={"POST": FRONT_DESK}, args={"pk": "visit"}),
    "api-visit-eligibility": Rule(methods={"POST": FRONT_DESK}, args={"pk": "visit"}),
    "api-visit-estimate": get(EVERYONE, pk="visit"),
    "api-coverage-estimate": Rule(
        methods={"POST": COVERAGE_READERS},
        args={"pk": "coverage"},
        body={"POST": {"codes": Literal("99213")}},
    ),
    "api-eligibility-worklist": get(FRONT_DESK),
    "api-coverage-list": get(EVERYONE, patient_id="patient"),
    "api-coverage-create": Rule(methods={"POST": FRONT_DESK}, args={"patient_id": "patient"}),
    "api-coverage-update": Rule(methods={"PATCH": FRONT_DESK}, args={"pk": "coverage"}),
    "api-coverage-move": Rule(methods={"POST": FRONT_DESK}, args={"pk": "coverage"}),
    "api-coverage-card-upload": Rule(methods={"POST": FRONT_DESK}, args={"pk": "coverage"}),
    "api-coverage-card": get(COVERAGE_READERS, pk="card"),
    "api-coverage-eligibility": Rule(methods={"POST": FRONT_DESK}, args={"pk": "coverage"}),
    "api-eligibility-detail": get(COVERAGE_READERS, pk="check"),
    "api-code-search": get(SIGNED_IN),
    "api-claim-list": get(CLAIM_READERS),
    "api-claim-detail": get(CLAIM_READERS, pk="claim"),
    "api-claim-assign": post(BILLING, pk="claim"),
    "api-claim-follow-up": post(BILLING, pk="claim"),
    "api-claim-hold": post(BILLING, pk="claim"),
    "api-claim-void": post(BILLING, pk="claim"),
    "api-claim-scrub": post(BILLING, pk="claim"),
    "api-claim-release": post(BILLING, pk="claim"),
    "api-claim-note": post(BILLING, pk="claim"),
    "api-claim-submit": post(BILLING, pk="claim"),
    "api-claim-status-check": post(BILLING, pk="claim"),
    "api-claim-edit": post(BILLING, pk="claim"),
    "api-claim-correct": post(BILLING, pk="claim"),
    "api-claim-split": post(BILLING, pk="claim"),
    "api-claim-rebill-denied": post(BILLING, pk="claim"),
    "api-claim-attachments": Rule(
        methods={"GET": CLAIM_READERS, "POST": BILLING}, args={"pk": "claim"}
    ),
    "api-claim-attachment": Rule(
        methods={"DELETE": BILLING}, args={"pk": "claim", "attachment_id": "attachment"}
    ),
    "api-claim-edit-override": Rule(
        methods={"POST": BILLING},
        args={"pk": "claim", "edit_id": "claim_edit"},
        body={"POST": {"reason": Literal("The payer confirmed by phone.")}},
    ),
}
