"""Clinical phrases and abbreviations mapped to ICD-10-CM concepts, with specificity cues."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Sides:
    """A code family chosen by laterality; "bilateral" may be two codes separated by a space."""

    unspecified: str
    right: str
    left: str
    bilateral: str


Target = str | Sides


@dataclass(frozen=True)
class Concept:
    """A condition the note can name: its phrases (regexes) and how to pick the specific code.

    `cues` are (regex, target) pairs tried in order on the sentence that names the concept and
    the first that matches (not negated) wins; otherwise `target` applies. A `Sides` target is
    resolved by the side the note gives. `history` and `family` are the codes for a personal or
    family history of the condition; `episode` appends the 7th character (A, D, S).
    """

    key: str
    terms: tuple[str, ...]
    target: Target
    cues: tuple[tuple[str, Target], ...] = ()
    history: str = ""
    family: str = ""
    site: str = ""
    episode: bool = False
    weight: float = 1.0
    # Screening and encounter codes stand whatever the result ("screen negative").
    ignores_negation: bool = False
    # A symptom (or a vague form of a diagnosis) yields to a definitive diagnosis in the assessment.
    symptom: bool = field(default=False)


EXACERBATION = r"exacerbat|flare|attack|acute"
SEVERITIES = (
    ("mild intermittent", "J45.2"),
    ("mild persistent", "J45.3"),
    ("moderate persistent", "J45.4"),
    ("severe persistent", "J45.5"),
)


def _asthma_cues() -> tuple[tuple[str, Target], ...]:
    cues: list[tuple[str, Target]] = []
    for severity, stem in SEVERITIES:
        cues.append((rf"{severity}.*status asthmaticus", f"{stem}2"))
        cues.append((rf"{severity}.*(?:{EXACERBATION})|(?:{EXACERBATION}).*{severity}", f"{stem}1"))
        cues.append((severity, f"{stem}0"))
    cues += [
        (r"status asthmaticus", "J45.902"),
        (r"exercise[- ]induced", "J45.990"),
        (r"cough[- ]variant", "J45.991"),
        (EXACERBATION, "J45.901"),
    ]
    return tuple(cues)


def _mdd_cues() -> tuple[tuple[str, Target], ...]:
    return (
        (r"recurrent.*(?:full|complete) remission", "F33.42"),
        (r"recurrent.*partial remission", "F33.41"),
        (r"recurrent.*mild|mild.*recurrent", "F33.0"),
        (r"recurrent.*moderate|moderate.*recurrent", "F33.1"),
        (r"recurrent.*severe|severe.*recurrent", "F33.2"),
        (r"recurrent", "F33.9"),
        (r"partial remission", "F32.4"),
        (r"(?:full|complete)? ?remission", "F32.5"),
        (r"\bmild\b", "F32.0"),
        (r"moderate", "F32.1"),
        (r"severe", "F32.2"),
    )


C = Concept
DIABETES_TYPE_2 = (
    r"type (?:2|ii|two) (?:diabetes(?: mellitus)?|dm)",
    r"t2dm",
    r"t2 ?dm",
    r"dm ?(?:type )?(?:2|ii)",
    r"niddm",
    r"diabetes(?: mellitus)?,? type (?:2|ii)",
    r"adult[- ]onset diabetes",
    r"diabetes mellitus",
    r"diabetes",
    r"dm",
)
HYPERGLYCEMIA = (
    r"hyperglycemi|uncontrolled|poorly controlled|not (?:well )?controlled|out of control"
    r"|inadequately controlled|suboptimal(?:ly)? control"
)

CONCEPTS: tuple[Concept, ...] = (
    # Endocrine and metabolic
    C(
        "t2dm",
        DIABETES_TYPE_2,
        "E11.9",
        (
            (HYPERGLYCEMIA, "E11.65"),
            (r"(?:peripheral )?(?:poly)?neuropathy", "E11.42"),
            (r"nephropathy|diabetic kidney disease|\bckd\b|chronic kidney", "E11.22"),
            (r"retinopathy", "E11.319"),
            (r"foot ulcer", "E11.621"),
            (r"hypoglycemi", "E11.649"),
        ),
        family="Z83.3",
    ),
    C(
        "t1dm",
        (
            r"type (?:1|i|one) (?:diabetes(?: mellitus)?|dm)",
            r"t1dm",
            r"dm ?(?:type )?(?:1|i)",
            r"iddm",
            r"diabetes(?: mellitus)?,? type (?:1|i)",
            r"juvenile diabetes",
        ),
        "E10.9",
        (
            (HYPERGLYCEMIA, "E10.65"),
            (r"(?:peripheral )?(?:poly)?neuropathy", "E10.42"),
            (r"hypoglycemi", "E10.649"),
        ),
    ),
    C("prediabetes", (r"pre-?diabet(?:es|ic)", r"borderline diabetes"), "R73.03"),
    C("gestational_dm", (r"gestational diabetes",), "O24.419"),
    C(
        "oral_hypoglycemic",
        (
            r"long[- ]term (?:\(current\) )?use of oral hypoglycemic\w*(?: drugs?)?",
            r"oral hypoglycemic (?:drugs?|agents?|therapy)",
        ),
        "Z79.84",
    ),
    C(
        "insulin_use",
        (
            r"long[- ]term (?:\(current\) )?use of insulin",
            r"on insulin",
            r"insulin[- ]requiring",
            r"uses insulin",
        ),
        "Z79.4",
    ),
    C("hypothyroid", (r"hypothyroid(?:ism)?", r"underactive thyroid"), "E03.9"),
    C("hashimoto", (r"hashimoto'?s(?: thyroiditis)?",), "E06.3"),
    C("hyperthyroid", (r"hyperthyroid(?:ism)?", r"overactive thyroid"), "E05.90"),
    C("graves", (r"graves'? disease",), "E05.00"),
    C(
        "hyperlipidemia",
        (
            r"hyperlipid(?:a)?emia",
            r"hld",
            r"dyslipid(?:a)?emia",
            r"elevated lipids",
            r"high lipids",
        ),
        "E78.5",
        ((r"mixed|combined", "E78.2"),),
        family="Z83.42",
    ),
    C(
        "hypercholesterolemia",
        (
            r"(?:pure )?hypercholesterol(?:a)?emia",
            r"high cholesterol",
            r"elevated (?:ldl|cholesterol)",
            r"high ldl",
        ),
        "E78.00",
        ((r"familial", "E78.01"),),
    ),
    C(
        "hypertriglyceridemia",
        (r"hypertriglycerid(?:a)?emia", r"high triglycerides", r"elevated triglycerides"),
        "E78.1",
    ),
    C(
        "obesity",
        (r"obesity", r"obese"),
        "E66.9",
        (
            (r"class (?:3|iii)|morbid(?:ly)?|severe(?:ly)? obes", "E66.813"),
            (r"class (?:2|ii)", "E66.812"),
            (r"class (?:1|i)", "E66.811"),
        ),
    ),
    C("overweight", (r"overweight",), "E66.3"),
    C(
        "vitamin_d",
        (
            r"vitamin d deficiency",
            r"vit(?:amin)? ?d deficien\w*",
            r"low vitamin d",
            r"hypovitaminosis d",
            r"vitamin d insufficiency",
        ),
        "E55.9",
    ),
    C("b12", (r"(?:vitamin )?b-?12 deficiency",), "E53.8"),
    C("iron_anemia", (r"iron[- ]deficiency anemia", r"ida"), "D50.9"),
    C("anemia", (r"anemia", r"anaemia"), "D64.9"),
    C("hypokalemia", (r"hypokalemia", r"low potassium"), "E87.6"),
    C("dehydration", (r"dehydration", r"dehydrated"), "E86.0"),
    C(
        "gout",
        (r"gout(?:y arthritis)?",),
        "M10.9",
        (
            (r"toe|foot|ankle|podagra", Sides("M10.079", "M10.071", "M10.072", "M10.071 M10.072")),
            (r"knee", Sides("M10.069", "M10.061", "M10.062", "M10.061 M10.062")),
        ),
        site=r"toe|foot|ankle|knee",
    ),
    # Cardiovascular
    C(
        "hypertension",
        (
            r"essential (?:\(primary\) )?hypertension",
            r"hypertension",
            r"htn",
            r"high blood pressure",
        ),
        "I10",
        family="Z82.49",
    ),
    C(
        "elevated_bp",
        (r"elevated (?:bp|blood pressure)(?: reading)?(?! \d)",),
        "R03.0",
        weight=0.6,
        symptom=True,
    ),
    C(
        "hypertensive_ckd",
        (
            r"hypertensive (?:chronic )?kidney disease",
            r"hypertensive ckd",
            r"hypertensive nephrosclerosis",
            r"hypertensive nephropathy",
        ),
        "I12.9",
        ((r"stage 5|end[- ]stage|esrd|dialysis", "I12.0"),),
    ),
    C(
        "hypertensive_heart",
        (r"hypertensive heart disease",),
        "I11.9",
        ((r"heart failure|chf|hfref|hfpef", "I11.0"),),
    ),
    C(
        "cad",
        (
            r"coronary artery disease",
            r"cad",
            r"ashd",
            r"atherosclerotic heart disease",
            r"coronary atherosclerosis",
        ),
        "I25.10",
        family="Z82.49",
    ),
    C(
        "mi",
        (r"myocardial infarction", r"heart attack", r"n?stemi", r"mi"),
        "I21.9",
        history="I25.2",
        family="Z82.49",
    ),
    C(
        "afib",
        (r"atrial fibrillation", r"a-?fib", r"a\. ?fib", r"af"),
        "I48.91",
        (
            (r"paroxysmal", "I48.0"),
            (r"long[- ]?standing persistent", "I48.11"),
            (r"persistent", "I48.19"),
            (r"permanent", "I48.21"),
            (r"chronic", "I48.20"),
        ),
    ),
    C("aflutter", (r"atrial flutter",), "I48.92"),
    C(
        "chf",
        (r"congestive heart failure", r"heart failure", r"chf", r"hfref", r"hfpef"),
        "I50.9",
        (
            (r"acute on chronic (?:systolic|hfref)|(?:hfref|systolic).*acute on chronic", "I50.23"),
            (
                r"acute on chronic (?:diastolic|hfpef)|(?:hfpef|diastolic).*acute on chronic",
                "I50.33",
            ),
            (r"chronic (?:systolic|hfref)|(?:systolic|hfref|reduced ejection).*chronic", "I50.22"),
            (
                r"chronic (?:diastolic|hfpef)|(?:diastolic|hfpef|preserved ejection).*chronic",
                "I50.32",
            ),
            (r"acute (?:systolic|hfref)", "I50.21"),
            (r"acute (?:diastolic|hfpef)", "I50.31"),
            (r"systolic|hfref|reduced ejection", "I50.20"),
            (r"diastolic|hfpef|preserved ejection", "I50.30"),
        ),
    ),
    C(
        "coronary_stent",
        (
            r"(?:coronary |cardiac |drug-eluting )?stents?(?: (?:to|in) (?:the )?"
            r"(?:lad|rca|lcx|circumflex))?",
            r"pci",
        ),
        "Z95.5",
        history="Z95.5",
    ),
    C("pad", (r"peripheral (?:artery|arterial|vascular) disease", r"pad", r"pvd"), "I73.9"),
    C("varicose", (r"varicose veins?",), "I83.90"),
    C(
        "chest_pain",
        (r"chest pain", r"chest discomfort", r"chest tightness"),
        "R07.9",
        (
            (r"pleuritic", "R07.81"),
            (r"atypical|chest wall|musculoskeletal|costochondr", "R07.89"),
        ),
        symptom=True,
    ),
    C("palpitations", (r"palpitations?", r"heart racing", r"racing heart"), "R00.2", symptom=True),
    C("tachycardia", (r"tachycardia",), "R00.0", symptom=True),
    C("bradycardia", (r"bradycardia",), "R00.1", symptom=True),
    C(
        "syncope",
        (r"syncope", r"fainting", r"passed out", r"syncopal episode"),
        "R55",
        symptom=True,
    ),
    C(
        "edema",
        (
            r"(?:leg|lower extremity|pedal|ankle|bilateral leg) (?:edema|swelling)",
            r"swollen (?:legs|ankles)",
        ),
        "R60.0",
        symptom=True,
    ),
    C("murmur", (r"(?:heart |cardiac |systolic )?murmur",), "R01.1", weight=0.6, symptom=True),
    C(
        "dvt",
        (r"deep vein thrombosis", r"dvt", r"blood clot in (?:the|his|her) leg"),
        "I82.409",
        history="Z86.718",
    ),
    C(
        "stroke",
        (r"stroke", r"cva", r"cerebrovascular accident"),
        "I63.9",
        history="Z86.73",
        family="Z82.3",
    ),
    C("tia", (r"transient ischemic attack", r"tia"), "G45.9", history="Z86.73"),
    # Respiratory
    C("uri", (r"upper respiratory (?:tract )?infection", r"viral uri", r"uri", r"urti"), "J06.9"),
    C("common_cold", (r"common cold", r"head cold", r"acute nasopharyngitis"), "J00"),
    C(
        "acute_sinusitis",
        (r"acute (?:rhino)?sinusitis", r"sinus infection", r"(?:rhino)?sinusitis"),
        "J01.90",
        ((r"recurrent", "J01.91"), (r"maxillary", "J01.00"), (r"frontal", "J01.10")),
    ),
    C("chronic_sinusitis", (r"chronic (?:rhino)?sinusitis",), "J32.9"),
    C(
        "strep",
        (
            r"strep(?:tococcal)? (?:throat|pharyngitis)",
            r"gas pharyngitis",
            r"group a strep(?:tococcal)?(?: pharyngitis)?",
        ),
        "J02.0",
    ),
    C("pharyngitis", (r"(?:acute |viral )?pharyngitis",), "J02.9"),
    C("sore_throat", (r"sore throat",), "J02.9", weight=0.5, symptom=True),
    C("tonsillitis", (r"(?:acute )?tonsillitis",), "J03.90"),
    C("bronchitis", (r"acute bronchitis", r"bronchitis", r"chest cold"), "J20.9"),
    C(
        "pneumonia",
        (r"(?:community[- ]acquired )?pneumonia", r"pna", r"cap"),
        "J18.9",
        (
            (r"walking pneumonia|mycoplasma", "J15.7"),
            (r"viral pneumonia", "J12.9"),
            (r"lobar", "J18.1"),
        ),
    ),
    C("asthma", (r"asthma(?:tic)?", r"reactive airway disease", r"rad"), "J45.909", _asthma_cues()),
    C(
        "copd",
        (r"copd", r"chronic obstructive (?:pulmonary|lung) disease"),
        "J44.9",
        (
            (r"(?:lower respiratory )?infection|bronchitis|pneumonia", "J44.0"),
            (EXACERBATION, "J44.1"),
        ),
    ),
    C("emphysema", (r"emphysema",), "J43.9"),
    C(
        "cough",
        (r"cough(?:ing)?",),
        "R05.9",
        (
            (r"chronic|persistent", "R05.3"),
            (r"subacute", "R05.2"),
            (r"acute", "R05.1"),
        ),
        weight=0.6,
        symptom=True,
    ),
    C(
        "dyspnea",
        (r"shortness of breath", r"sob", r"dyspnea(?: on exertion)?", r"doe"),
        "R06.02",
        ((r"dyspnea", "R06.00"),),
        weight=0.7,
        symptom=True,
    ),
    C("wheezing", (r"wheez(?:ing|e)",), "R06.2", weight=0.5, symptom=True),
    C(
        "allergic_rhinitis",
        (
            r"allergic rhinitis(?: due to pollen)?",
            r"hay fever",
            r"seasonal allergies",
            r"environmental allergies",
        ),
        "J30.9",
        ((r"pollen|hay fever", "J30.1"), (r"seasonal", "J30.2")),
    ),
    C("covid", (r"covid(?:-?19)?", r"sars-cov-2(?: infection)?"), "U07.1"),
    C(
        "covid_exposure",
        (r"(?:exposure|exposed) to covid(?:-?19)?", r"covid(?:-?19)? exposure"),
        "Z20.822",
    ),
    C(
        "influenza",
        (r"influenza(?! (?:virus )?vaccin)", r"flu(?! (?:vaccin|shot|season|clinic))"),
        "J11.1",
        ((r"influenza (?:a|b)\b|flu (?:a|b)\b", "J10.1"),),
    ),
    C("osa", (r"obstructive sleep apnea", r"osa", r"sleep apnea"), "G47.33"),
    C("epistaxis", (r"epistaxis", r"nosebleeds?"), "R04.0", symptom=True),
    # Ear, nose, throat, eye
    C(
        "otitis_media",
        (r"(?:acute )?otitis media", r"aom", r"(?:middle )?ear infection"),
        Sides("H66.90", "H66.91", "H66.92", "H66.93"),
        site=r"ear|tm|tympanic",
    ),
    C(
        "ome",
        (r"otitis media with effusion", r"serous otitis(?: media)?", r"ome"),
        Sides("H65.90", "H65.91", "H65.92", "H65.93"),
        site=r"ear|tm|tympanic",
    ),
    C(
        "otitis_externa",
        (r"otitis externa", r"swimmer'?s ear"),
        Sides("H60.90", "H60.91", "H60.92", "H60.93"),
        site=r"ear|canal",
    ),
    C(
        "cerumen",
        (r"(?:impacted )?cerumen(?: impaction)?", r"ear ?wax(?: impaction)?"),
        Sides("H61.20", "H61.21", "H61.22", "H61.23"),
        site=r"ear|canal",
    ),
    C(
        "tinnitus",
        (r"tinnitus", r"ringing in (?:the |both |his |her )?ears?"),
        Sides("H93.19", "H93.11", "H93.12", "H93.13"),
        site=r"ear",
    ),
    C(
        "hearing_loss",
        (r"hearing loss",),
        Sides("H91.90", "H91.91", "H91.92", "H91.93"),
        site=r"ear",
    ),
    C(
        "bppv",
        (r"bppv", r"benign paroxysmal (?:positional )?vertigo"),
        Sides("H81.10", "H81.11", "H81.12", "H81.13"),
        site=r"ear",
    ),
    C("vertigo", (r"vertigo",), "R42", symptom=True),
    C(
        "dizziness",
        (r"dizziness", r"dizzy", r"lightheaded(?:ness)?"),
        "R42",
        weight=0.6,
        symptom=True,
    ),
    C(
        "conjunctivitis",
        (r"(?:acute |viral |bacterial |allergic )?conjunctivitis", r"pink ?eye"),
        "H10.9",
        ((r"viral", "B30.9"),),
    ),
    # Digestive
    C(
        "gerd",
        (
            r"gerd",
            r"gastro-?\s?esophageal reflux(?: disease)?",
            r"acid reflux",
            r"reflux disease",
            r"gord",
        ),
        "K21.9",
        (
            (r"esophagitis.*bleeding|bleeding.*esophagitis", "K21.01"),
            (r"esophagitis", "K21.00"),
        ),
    ),
    C("reflux_esophagitis", (r"reflux esophagitis",), "K21.00"),
    C("heartburn", (r"heartburn",), "R12", weight=0.5, symptom=True),
    C("dyspepsia", (r"dyspepsia", r"indigestion"), "R10.13", symptom=True),
    C(
        "constipation",
        (r"constipation", r"constipated"),
        "K59.00",
        (
            (r"slow transit", "K59.01"),
            (r"opioid", "K59.03"),
            (r"chronic idiopathic", "K59.04"),
        ),
        symptom=True,
    ),
    C("diarrhea", (r"diarrh(?:o)?ea", r"loose stools"), "R19.7", symptom=True),
    C(
        "gastroenteritis",
        (r"(?:acute |viral )?gastroenteritis", r"stomach (?:flu|bug)"),
        "K52.9",
        ((r"viral|stomach (?:flu|bug)", "A08.4"),),
    ),
    C(
        "ibs",
        (r"irritable bowel(?: syndrome)?", r"ibs(?:-[cdm])?"),
        "K58.9",
        (
            (r"ibs-d|with diarrh", "K58.0"),
            (r"ibs-c|with constipation", "K58.1"),
            (r"ibs-m|mixed", "K58.2"),
        ),
    ),
    C(
        "nausea_vomiting",
        (r"nausea (?:and|with) vomiting", r"n/v", r"nausea/vomiting"),
        "R11.2",
        symptom=True,
    ),
    C("nausea", (r"nausea", r"nauseated"), "R11.0", weight=0.7, symptom=True),
    C("vomiting", (r"vomiting",), "R11.10", weight=0.7, symptom=True),
    C(
        "abdominal_pain",
        (
            r"abdominal pain",
            r"belly pain",
            r"stomach ache",
            r"(?:rlq|llq|ruq|luq|"
            r"epigastric|periumbilical|right lower quadrant|left lower quadrant|"
            r"right upper quadrant|left upper quadrant) (?:abdominal )?pain",
        ),
        "R10.9",
        (
            (r"rlq|right lower quadrant", "R10.31"),
            (r"llq|left lower quadrant", "R10.32"),
            (r"ruq|right upper quadrant", "R10.11"),
            (r"luq|left upper quadrant", "R10.12"),
            (r"epigastric", "R10.13"),
            (r"periumbilical", "R10.33"),
            (r"generali[sz]ed|diffuse", "R10.84"),
            (r"lower abdominal", "R10.30"),
        ),
        symptom=True,
    ),
    C("hemorrhoids", (r"hemorrhoids?",), "K64.9"),
    C("diverticulitis", (r"diverticulitis",), "K57.92"),
    C("diverticulosis", (r"diverticulosis",), "K57.90"),
    C(
        "fatty_liver",
        (r"fatty liver(?: disease)?", r"nafld", r"hepatic steatosis", r"masld"),
        "K76.0",
    ),
    C(
        "colon_polyp",
        (r"colon(?:ic)? polyps?", r"polyps? of (?:the )?colon", r"adenomatous polyps?"),
        "K63.5",
        history="Z86.0100",
    ),
    # Genitourinary
    C("uti", (r"urinary tract infection", r"uti", r"bladder infection"), "N39.0"),
    C(
        "cystitis",
        (r"(?:acute )?cystitis",),
        "N30.90",
        (
            (r"acute.*hematuria", "N30.01"),
            (r"acute", "N30.00"),
        ),
    ),
    C(
        "dysuria",
        (r"dysuria", r"burning (?:on|with) urination", r"painful urination"),
        "R30.0",
        weight=0.8,
        symptom=True,
    ),
    C("frequency", (r"urinary frequency",), "R35.0", weight=0.6, symptom=True),
    C("hematuria", (r"hematuria", r"blood in (?:the )?urine"), "R31.9", symptom=True),
    C("pyelonephritis", (r"pyelonephritis",), "N10"),
    C(
        "kidney_stone",
        (r"kidney stones?", r"nephrolithiasis", r"renal (?:calculus|stones?)"),
        "N20.0",
        history="Z87.442",
    ),
    C(
        "bph",
        (r"bph", r"benign prostatic hyperplasia", r"enlarged prostate"),
        "N40.0",
        ((r"luts|lower urinary tract symptoms|nocturia|weak stream|urinary symptoms", "N40.1"),),
    ),
    C("ed", (r"erectile dysfunction",), "N52.9"),
    C(
        "ckd",
        (r"chronic kidney disease", r"ckd", r"chronic renal (?:insufficiency|disease)"),
        "N18.9",
        (
            (r"(?:stage|ckd|g) ?3a", "N18.31"),
            (r"(?:stage|ckd|g) ?3b", "N18.32"),
            (r"(?:stage|ckd) ?(?:1|i)\b", "N18.1"),
            (r"(?:stage|ckd) ?(?:2|ii)\b", "N18.2"),
            (r"(?:stage|ckd) ?(?:3|iii)\b", "N18.30"),
            (r"(?:stage|ckd) ?(?:4|iv)\b", "N18.4"),
            (r"(?:stage|ckd) ?(?:5|v)\b", "N18.5"),
        ),
    ),
    C("esrd", (r"end[- ]stage renal disease", r"esrd"), "N18.6"),
    C("vaginal_yeast", (r"(?:vaginal |vulvovaginal )?(?:yeast infection|candidiasis)",), "B37.31"),
    C("bv", (r"bacterial vaginosis",), "N76.0"),
    C(
        "menopause",
        (
            r"menopausal symptoms",
            r"hot flashes",
            r"menopaus(?:e|al) (?:symptoms|"
            r"vasomotor)",
        ),
        "N95.1",
    ),
    # Musculoskeletal and injury
    C(
        "low_back_pain",
        (r"low(?:er)? back pain", r"lbp", r"lumbago", r"lumbar (?:back )?pain", r"lumbalgia"),
        "M54.50",
        (
            (r"sciatica", Sides("M54.40", "M54.41", "M54.42", "M54.41 M54.42")),
            (r"vertebrogenic", "M54.51"),
        ),
        site=r"leg|side|buttock|sciatica",
    ),
    C(
        "sciatica",
        (r"sciatica",),
        Sides("M54.30", "M54.31", "M54.32", "M54.31 M54.32"),
        site=r"leg|side|buttock|sciatica",
    ),
    C("lumbar_radiculopathy", (r"lumbar radiculopathy", r"lumbosacral radiculopathy"), "M54.16"),
    C("cervical_radiculopathy", (r"cervical radiculopathy",), "M54.12"),
    C("neck_pain", (r"neck pain", r"cervicalgia"), "M54.2"),
    C(
        "knee_oa",
        (
            r"(?:osteoarthritis|oa|djd|degenerative joint disease|degenerative arthritis)"
            r",?(?: of)?(?: the)?,?(?: (?:right|left|bilateral|both))? knees?",
            r"(?:right |left |bilateral )?knee (?:osteoarthritis|oa|djd|arthritis)",
        ),
        Sides("M17.9", "M17.11", "M17.12", "M17.0"),
        site=r"knee",
    ),
    C(
        "hip_oa",
        (
            r"(?:osteoarthritis|oa|djd|degenerative joint disease)(?: of)?(?: the)?"
            r",?(?: (?:right|left|bilateral|both))? hips?",
            r"(?:right |left |bilateral )?hip (?:osteoarthritis|oa|djd|arthritis)",
        ),
        Sides("M16.9", "M16.11", "M16.12", "M16.0"),
        site=r"hip",
    ),
    # Site unknown: yields to a site-specific diagnosis in the assessment, like a symptom.
    C(
        "osteoarthritis",
        (r"osteoarthritis", r"degenerative joint disease"),
        "M19.90",
        symptom=True,
    ),
    C(
        "knee_pain",
        (r"knee pain", r"pain in (?:the |her |his )?(?:right |left )?knee"),
        Sides("M25.569", "M25.561", "M25.562", "M25.561 M25.562"),
        site=r"knee",
        symptom=True,
    ),
    C(
        "shoulder_pain",
        (r"shoulder pain", r"pain in (?:the |her |his )?(?:right |left )?shoulder"),
        Sides("M25.519", "M25.511", "M25.512", "M25.511 M25.512"),
        site=r"shoulder",
        symptom=True,
    ),
    C(
        "hip_pain",
        (r"hip pain",),
        Sides("M25.559", "M25.551", "M25.552", "M25.551 M25.552"),
        site=r"hip",
        symptom=True,
    ),
    C(
        "ankle_sprain",
        (
            r"(?:ankle sprain|sprained (?:(?:right|left) )?ankle|sprain of (?:the )?"
            r"(?:right |left )?ankle|(?:inversion )?(?:right |left )?ankle sprain)",
        ),
        Sides("S93.409", "S93.401", "S93.402", "S93.401 S93.402"),
        site=r"ankle",
        episode=True,
    ),
    C(
        "lumbar_strain",
        (r"(?:lumbar|low back|lumbosacral) (?:muscle )?strain",),
        "S39.012",
        episode=True,
    ),
    C("neck_strain", (r"(?:neck|cervical) (?:muscle )?strain",), "S16.1XX", episode=True),
    C("plantar_fasciitis", (r"plantar fasciitis",), "M72.2"),
    C(
        "carpal_tunnel",
        (r"carpal tunnel(?: syndrome)?", r"cts"),
        Sides("G56.00", "G56.01", "G56.02", "G56.03"),
        site=r"hand|wrist|arm",
    ),
    C(
        "epicondylitis",
        (r"lateral epicondylitis", r"tennis elbow"),
        Sides("M77.10", "M77.11", "M77.12", "M77.11 M77.12"),
        site=r"elbow",
    ),
    C("fibromyalgia", (r"fibromyalgia",), "M79.7"),
    C("osteoporosis", (r"osteoporosis",), "M81.0"),
    C("osteopenia", (r"osteopenia",), "M85.80"),
    # Nervous system and mental health
    C(
        "migraine",
        (r"migraines?(?: headaches?)?",),
        "G43.909",
        (
            (r"with aura", "G43.109"),
            (r"without aura", "G43.009"),
        ),
    ),
    C("tension_headache", (r"tension(?:-type)? headaches?",), "G44.209"),
    C("headache", (r"headaches?", r"cephalgia"), "R51.9", weight=0.8, symptom=True),
    C("insomnia", (r"insomnia",), "G47.00"),
    C("depression", (r"depression", r"depressive disorder", r"depressed mood"), "F32.A"),
    C("mdd", (r"major depressi(?:on|ve disorder)", r"mdd"), "F32.9", _mdd_cues()),
    C("anxiety", (r"anxiety(?: disorder)?", r"anxiety state"), "F41.9"),
    C("gad", (r"generali[sz]ed anxiety(?: disorder)?", r"gad"), "F41.1"),
    C("panic", (r"panic disorder", r"panic attacks"), "F41.0"),
    C(
        "adhd",
        (r"adhd", r"attention[- ]deficit(?:[- /]hyperactivity)?(?: disorder)?", r"add"),
        "F90.9",
        (
            (r"inattentive", "F90.0"),
            (r"predominantly hyperactive|hyperactive type", "F90.1"),
            (r"combined", "F90.2"),
        ),
    ),
    C("dementia", (r"dementia",), "F03.90"),
    C("alzheimer", (r"alzheimer'?s(?: disease)?",), "G30.9"),
    C("parkinson", (r"parkinson'?s(?: disease)?",), "G20.A1"),
    C("seizure", (r"seizures?",), "R56.9"),
    C("epilepsy", (r"epilepsy", r"seizure disorder"), "G40.909"),
    C("neuropathy", (r"peripheral neuropathy", r"polyneuropathy"), "G62.9"),
    C(
        "nicotine",
        (
            r"nicotine dependence",
            r"tobacco dependence",
            r"(?:current |daily )?smoker",
            r"smokes",
            r"(?:cigarette )?smoking",
        ),
        "F17.200",
        (
            (r"in remission", "F17.211"),
            (r"cigarette|packs?(?: per|/| a) ?day|ppd|pack[- ]years?|cigs", "F17.210"),
            (r"chew|smokeless|dip\b|snuff", "F17.220"),
            (r"vap(?:e|ing)|e-?cig", "F17.290"),
        ),
        history="Z87.891",
    ),
    C(
        "former_smoker",
        (
            r"former smoker",
            r"ex-?smoker",
            r"quit (?:smoking )?(?:in \d{4}|\S+ (?:years?|months?|decades?) ago)",
            r"past smoker",
            r"history of (?:tobacco use|smoking|nicotine dependence)",
        ),
        "Z87.891",
    ),
    C("tobacco_use", (r"tobacco use",), "Z72.0"),
    C("alcohol_abuse", (r"alcohol abuse",), "F10.10"),
    C(
        "alcohol_dependence",
        (r"alcohol dependence", r"alcoholism", r"alcohol use disorder"),
        "F10.20",
    ),
    # Skin
    C("acne", (r"acne(?: vulgaris)?",), "L70.0"),
    C("eczema", (r"eczema",), "L30.9"),
    C("atopic_dermatitis", (r"atopic dermatitis",), "L20.9"),
    C(
        "contact_dermatitis",
        (r"(?:allergic |irritant )?contact dermatitis", r"poison ivy"),
        "L25.9",
    ),
    C("psoriasis", (r"psoriasis",), "L40.9", ((r"plaque|vulgaris", "L40.0"),)),
    C(
        "cellulitis",
        (r"cellulitis",),
        "L03.90",
        (
            (
                r"(?:lower )?leg|shin|calf|lower (?:limb|extremity)",
                Sides("L03.119", "L03.115", "L03.116", "L03.115 L03.116"),
            ),
        ),
        site=r"leg|shin|calf|limb|extremity",
    ),
    C("abscess", (r"(?:skin |cutaneous )?abscess", r"boil", r"furuncle"), "L02.91"),
    C("impetigo", (r"impetigo",), "L01.00"),
    C(
        "warts",
        (r"warts?", r"verruca(?:e)?(?: vulgaris)?"),
        "B07.9",
        (
            (r"plantar", "B07.0"),
            (r"common|verruca vulgaris|viral", "B07.8"),
        ),
    ),
    C("seb_keratosis", (r"seborrheic keratos[ie]s",), "L82.1"),
    C("actinic_keratosis", (r"actinic keratos[ie]s", r"aks?"), "L57.0"),
    C("tinea_pedis", (r"tinea pedis", r"athlete'?s foot"), "B35.3"),
    C("tinea_corporis", (r"tinea corporis", r"ringworm"), "B35.4"),
    C("onychomycosis", (r"onychomycosis", r"toenail fungus", r"fungal (?:toe)?nails?"), "B35.1"),
    C("urticaria", (r"urticaria", r"hives"), "L50.9"),
    C("rash", (r"rash",), "R21", weight=0.6, symptom=True),
    C("zoster", (r"(?:herpes )?zoster", r"shingles"), "B02.9"),
    C("rosacea", (r"rosacea",), "L71.9"),
    C("skin_tag", (r"skin tags?", r"acrochordons?"), "L91.8"),
    C("lipoma", (r"lipoma",), "D17.9"),
    # General symptoms
    C("fever", (r"fever", r"febrile"), "R50.9", weight=0.6, symptom=True),
    C("fatigue", (r"fatigue", r"tiredness", r"low energy"), "R53.83", symptom=True),
    C("malaise", (r"malaise",), "R53.81", weight=0.6, symptom=True),
    C(
        "weight_loss",
        (
            r"(?:unintentional |unintended |unexplained )?weight loss"
            r"(?! counsel| goal| program| plan| advi| discuss| medication| surgery)",
        ),
        "R63.4",
        symptom=True,
    ),
    C("weight_gain", (r"weight gain",), "R63.5", weight=0.7, symptom=True),
    # Cancer (personal and family history live on the same concept)
    C(
        "breast_cancer",
        (r"breast cancer", r"breast carcinoma"),
        "C50.919",
        history="Z85.3",
        family="Z80.3",
    ),
    C(
        "colon_cancer",
        (r"colon cancer", r"colorectal cancer"),
        "C18.9",
        history="Z85.038",
        family="Z80.0",
    ),
    C("prostate_cancer", (r"prostate cancer",), "C61", history="Z85.46", family="Z80.42"),
    C("lung_cancer", (r"lung cancer",), "C34.90", history="Z85.118", family="Z80.1"),
    # Encounters: examinations, screening, immunization
    C(
        "adult_exam",
        (
            r"annual (?:physical|exam(?:ination)?|preventive (?:visit|exam))",
            r"(?:routine|complete|yearly|annual) physical(?: exam(?:ination)?)?",
            r"preventive (?:visit|exam(?:ination)?|care visit)",
            r"(?:annual )?wellness (?:visit|exam)",
            r"awv",
            r"general (?:adult )?medical exam(?:ination)?",
            r"health maintenance exam",
            r"adult (?:physical|medical|health) exam(?:ination)?",
        ),
        "Z00.00",
        ((r"(?<!out )abnormal findings", "Z00.01"),),
        ignores_negation=True,
    ),
    C(
        "child_exam",
        (
            r"well[- ]child(?: visit| check| exam)?",
            r"wcc",
            r"routine child health "
            r"exam(?:ination)?",
            r"well[- ](?:baby|infant)(?: visit| check)?",
        ),
        "Z00.129",
        ((r"(?<!out )abnormal findings", "Z00.121"),),
        ignores_negation=True,
    ),
    C(
        "sports_physical",
        (r"sports? physical", r"pre-?participation (?:physical|exam)"),
        "Z02.5",
        ignores_negation=True,
    ),
    C(
        "preop_exam",
        (r"pre-?op(?:erative)? (?:exam|evaluation|clearance|physical)", r"surgical clearance"),
        "Z01.818",
        ignores_negation=True,
    ),
    C(
        "gyn_exam",
        (
            r"(?:routine |annual )?gyn(?:ecologic(?:al)?)? exam",
            r"well[- ]woman (?:exam|"
            r"visit)",
        ),
        "Z01.419",
        ((r"(?<!out )abnormal findings", "Z01.411"),),
        ignores_negation=True,
    ),
    C(
        "immunization",
        (
            r"(?:flu|influenza|tdap|td|pneumococcal|pneumonia|shingles|zoster|shingrix"
            r"|hpv|covid(?:-?19)?|hepatitis [ab]|hep [ab]|mmr|dtap|varicella|"
            r"prevnar|pcv ?\d*|ipv|rotavirus)(?: virus)? (?:vaccine|vaccination|shot|"
            r"immunization|booster)"
            r"(?! (?:declined|refused|deferred|up to date|in season|due|next|recommended"
            r"|discussed))",
            r"(?:encounter for )?immunization(?: given| administered)?",
            r"vaccines? (?:given|administered)",
            r"flu shot",
        ),
        "Z23",
    ),
    C(
        "screen_depression",
        (r"(?:screening for|annual) depression(?: screening)?", r"depression screen(?:ing)?"),
        "Z13.31",
        ignores_negation=True,
    ),
    C(
        "screen_lipids",
        (
            r"screening for lipo?id disorders?",
            r"lipid screening",
            r"cholesterol screening",
            r"screening (?:fasting )?lipid(?: panel)?",
        ),
        "Z13.220",
        ignores_negation=True,
    ),
    C(
        "screen_diabetes",
        (r"screening for diabetes", r"diabetes screening"),
        "Z13.1",
        ignores_negation=True,
    ),
    C(
        "screen_colon",
        (
            r"screening colonoscopy",
            r"colon(?:orectal)? cancer screening",
            r"screening for colon(?:orectal)? cancer",
            r"cologuard",
            r"fit test",
        ),
        "Z12.11",
        ignores_negation=True,
    ),
    C(
        "screen_breast",
        (r"screening mammogram", r"mammogram", r"breast cancer screening"),
        "Z12.31",
        ignores_negation=True,
    ),
    C(
        "screen_cervix",
        (r"pap (?:smear|test)", r"cervical cancer screening"),
        "Z12.4",
        ignores_negation=True,
    ),
    C(
        "screen_prostate",
        (r"screening psa", r"psa screening", r"prostate cancer screening"),
        "Z12.5",
        weight=0.7,
        ignores_negation=True,
    ),
    C("screen_hiv", (r"hiv screening", r"screening for hiv"), "Z11.4", ignores_negation=True),
    C(
        "screen_hcv",
        (r"(?:hepatitis c|hep c|hcv) screening", r"screening for (?:hepatitis c|hcv)"),
        "Z11.59",
        ignores_negation=True,
    ),
    C(
        "screen_sti",
        (r"sti screening", r"std screening", r"screening for (?:sti|std)s?"),
        "Z11.3",
        ignores_negation=True,
    ),
    C(
        "screen_bone",
        (r"dexa(?: scan)?", r"bone density (?:screening|scan)"),
        "Z13.820",
        weight=0.7,
        ignores_negation=True,
    ),
    C("contraception", (r"contraceptive counseling", r"birth control counseling"), "Z30.09"),
    C(
        "ocp_surveillance",
        (r"(?:oral contraceptive|birth control pill|ocp) (?:refill|surveillance)",),
        "Z30.41",
    ),
)

# Long-term drug therapy: coded only alongside the condition it treats (see DRUG_CONDITIONS).
DRUG_CONCEPTS: tuple[Concept, ...] = (
    C(
        "drug_oral_hypoglycemic",
        (
            r"metformin",
            r"glipizide",
            r"glyburide",
            r"glimepiride",
            r"sitagliptin",
            r"januvia",
            r"pioglitazone",
            r"empagliflozin",
            r"jardiance",
            r"dapagliflozin",
            r"farxiga",
            r"linagliptin",
        ),
        "Z79.84",
        weight=0.7,
    ),
    C(
        "drug_insulin",
        (
            r"insulin(?: glargine| lispro| aspart| detemir| degludec)?",
            r"lantus",
            r"humalog",
            r"novolog",
            r"basaglar",
            r"tresiba",
            r"levemir",
        ),
        "Z79.4",
        weight=0.7,
    ),
    C(
        "drug_injectable_antidiabetic",
        (
            r"semaglutide",
            r"ozempic",
            r"liraglutide",
            r"victoza",
            r"dulaglutide",
            r"trulicity",
            r"tirzepatide",
            r"mounjaro",
        ),
        "Z79.85",
        weight=0.7,
    ),
    C(
        "drug_anticoagulant",
        (
            r"warfarin",
            r"coumadin",
            r"apixaban",
            r"eliquis",
            r"rivaroxaban",
            r"xarelto",
            r"dabigatran",
            r"edoxaban",
        ),
        "Z79.01",
        weight=0.7,
    ),
)
# Which diagnoses (code prefixes) make each drug code worth suggesting: insulin is inherent to
# type 1 diabetes, so Z79.4 goes with E11/E13 only.
DRUG_CONDITIONS = {
    "Z79.84": ("E11", "E13", "E08", "E09"),
    "Z79.4": ("E11", "E13", "E08", "E09"),
    "Z79.85": ("E11", "E13"),
    "Z79.01": ("I48", "I82", "I26", "Z86.718"),
}

# Adult encounter codes and their paediatric counterparts, used when the patient is under 18.
CHILD_EQUIVALENT = {"Z00.00": "Z00.129", "Z00.01": "Z00.121"}
