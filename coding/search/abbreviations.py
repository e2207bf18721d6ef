"""Coders' abbreviations and synonyms, query stop words, and the commonly billed diagnoses."""

from __future__ import annotations

# Each abbreviation (lower case, as typed) maps to the phrases it may stand for; the search
# accepts a code whose term holds every word of any one of them (each word also as a prefix).
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    # Connectives coders write in notes and queries.
    "w/": ("with",),
    "w": ("with",),
    "c/": ("with",),
    "w/o": ("without",),
    "wo": ("without",),
    "s/p": ("status post", "history of", "presence of", "aftercare"),
    "h/o": ("personal history of", "old"),
    "hx": ("history",),
    "fhx": ("family history",),
    "fh": ("family history",),
    "phx": ("personal history",),
    "r/o": ("rule out", "suspected"),
    "dx": ("diagnosis",),
    "sx": ("symptoms",),
    "tx": ("treatment",),
    "f/u": ("follow-up", "follow up"),
    "fu": ("follow-up",),
    "lt": ("left",),
    "l": ("left",),
    "rt": ("right",),
    "r": ("right",),
    "bil": ("bilateral",),
    "bilat": ("bilateral",),
    "b/l": ("bilateral",),
    "unsp": ("unspecified",),
    "unspec": ("unspecified",),
    "init": ("initial",),
    "subs": ("subsequent",),
    "subseq": ("subsequent",),
    "seq": ("sequela",),
    "ext": ("external",),
    "acute": ("acute",),
    "chr": ("chronic",),
    "chronic": ("chronic",),
    "sev": ("severe",),
    "mod": ("moderate",),
    "uncontrolled": ("hyperglycemia", "uncontrolled", "poorly controlled", "out of control"),
    # Diabetes and metabolism.
    "dm": ("diabetes mellitus", "diabetes", "diabetic"),
    "dm1": ("type 1 diabetes mellitus",),
    "dm2": ("type 2 diabetes mellitus",),
    "t1dm": ("type 1 diabetes mellitus",),
    "t2dm": ("type 2 diabetes mellitus",),
    "iddm": ("type 1 diabetes mellitus",),
    "niddm": ("type 2 diabetes mellitus",),
    "dmii": ("type 2 diabetes mellitus",),
    "dmi": ("type 1 diabetes mellitus",),
    "gdm": ("gestational diabetes mellitus",),
    "dka": ("diabetic ketoacidosis", "diabetes mellitus with ketoacidosis"),
    "hhs": ("hyperosmolarity",),
    "hyperglycemic": ("hyperglycemia",),
    "hypoglycemic": ("hypoglycemia",),
    "hld": ("hyperlipidemia",),
    "hl": ("hyperlipidemia",),
    "hlp": ("hyperlipidemia",),
    "hchol": ("hypercholesterolemia",),
    "hypercholesterol": ("hypercholesterolemia",),
    "dyslipid": ("hyperlipidemia", "dyslipidemia"),
    "tg": ("triglyceridemia", "hypertriglyceridemia"),
    "hypothyroid": ("hypothyroidism",),
    "hyperthyroid": ("hyperthyroidism",),
    "vit": ("vitamin",),
    "vitd": ("vitamin d deficiency",),
    "obese": ("obesity",),
    "bmi": ("body mass index",),
    "ida": ("iron deficiency anemia",),
    # Heart and vessels.
    "htn": ("hypertension", "hypertensive"),
    "hbp": ("hypertension", "high blood pressure"),
    "hypertensive": ("hypertensive", "hypertension"),
    "chf": ("heart failure",),
    "hf": ("heart failure",),
    "hfref": ("systolic heart failure",),
    "hfpef": ("diastolic heart failure",),
    "cad": ("coronary artery disease", "atherosclerotic heart disease"),
    "ashd": ("atherosclerotic heart disease",),
    "mi": ("myocardial infarction",),
    "ami": ("acute myocardial infarction",),
    "stemi": ("st elevation myocardial infarction",),
    "nstemi": ("non-st elevation myocardial infarction",),
    "afib": ("atrial fibrillation",),
    "af": ("atrial fibrillation",),
    "aflutter": ("atrial flutter",),
    "svt": ("supraventricular tachycardia",),
    "vtach": ("ventricular tachycardia",),
    "pvd": ("peripheral vascular disease",),
    "pad": ("peripheral vascular disease", "peripheral arterial disease"),
    "dvt": ("deep vein thrombosis", "embolism and thrombosis of deep veins"),
    "vte": ("venous embolism and thrombosis",),
    "pe": ("pulmonary embolism",),
    "cva": ("cerebral infarction", "stroke"),
    "tia": ("transient cerebral ischemic attack",),
    "aaa": ("abdominal aortic aneurysm",),
    "mvp": ("mitral valve prolapse",),
    "cp": ("chest pain",),
    "palp": ("palpitations",),
    "brady": ("bradycardia",),
    "tachy": ("tachycardia",),
    "lbbb": ("left bundle-branch block",),
    "rbbb": ("right bundle-branch block",),
    # Lungs and airway.
    "copd": ("chronic obstructive pulmonary disease",),
    "aecopd": ("chronic obstructive pulmonary disease with acute exacerbation",),
    "exac": ("exacerbation",),
    "sob": ("shortness of breath",),
    "doe": ("dyspnea",),
    "uri": ("upper respiratory infection",),
    "urti": ("upper respiratory infection",),
    "lri": ("lower respiratory infection",),
    "pna": ("pneumonia",),
    "cap": ("pneumonia",),
    "osa": ("obstructive sleep apnea",),
    "ards": ("acute respiratory distress syndrome",),
    "rsv": ("respiratory syncytial virus",),
    "tb": ("tuberculosis",),
    "covid": ("covid-19",),
    "covid19": ("covid-19",),
    "flu": ("influenza",),
    "strep": ("streptococcal",),
    "ar": ("allergic rhinitis",),
    "om": ("otitis media",),
    "aom": ("acute otitis media",),
    # Digestive.
    "gerd": ("gastro-esophageal reflux disease",),
    "gi": ("gastrointestinal",),
    "gib": ("gastrointestinal hemorrhage",),
    "ibs": ("irritable bowel syndrome",),
    "ibd": ("inflammatory bowel disease", "crohn", "ulcerative colitis"),
    "uc": ("ulcerative colitis",),
    "pud": ("peptic ulcer",),
    "n/v": ("nausea with vomiting", "nausea and vomiting"),
    "nv": ("nausea with vomiting", "nausea and vomiting"),
    "n/v/d": ("nausea", "vomiting", "diarrhea"),
    "abd": ("abdominal",),
    "abdo": ("abdominal",),
    "rlq": ("right lower quadrant",),
    "ruq": ("right upper quadrant",),
    "llq": ("left lower quadrant",),
    "luq": ("left upper quadrant",),
    "nafld": ("nonalcoholic fatty liver", "fatty liver"),
    "hcv": ("hepatitis c",),
    "hbv": ("hepatitis b",),
    "constip": ("constipation",),
    # Kidney and urinary.
    "ckd": ("chronic kidney disease",),
    "esrd": ("end stage renal disease",),
    "aki": ("acute kidney failure",),
    "arf": ("acute kidney failure", "acute respiratory failure"),
    "uti": ("urinary tract infection",),
    "bph": ("benign prostatic hyperplasia", "enlarged prostate"),
    "luts": ("lower urinary tract symptoms",),
    "ed": ("erectile dysfunction",),
    "nephrolith": ("calculus of kidney",),
    # Musculoskeletal and injury.
    "oa": ("osteoarthritis", "arthrosis"),
    "djd": ("osteoarthritis", "degenerative joint disease"),
    "ddd": ("intervertebral disc degeneration",),
    "ra": ("rheumatoid arthritis",),
    "lbp": ("low back pain",),
    "fx": ("fracture",),
    "fxs": ("fracture",),
    "frx": ("fracture",),
    "disloc": ("dislocation",),
    "lac": ("laceration",),
    "fb": ("foreign body",),
    "mva": ("motor vehicle", "car"),
    "mvc": ("motor vehicle", "car"),
    "tbi": ("intracranial injury",),
    "ttp": ("tenderness",),
    "pt": ("patient",),
    "sprain": ("sprain",),
    "oste": ("osteo",),
    "osteopenia": ("osteopenia",),
    "op": ("osteoporosis",),
    "gout": ("gout",),
    "sle": ("systemic lupus erythematosus",),
    "cts": ("carpal tunnel syndrome",),
    "tkr": ("presence of artificial knee joint",),
    "thr": ("presence of artificial hip joint",),
    "tka": ("presence of artificial knee joint",),
    "tha": ("presence of artificial hip joint",),
    # Neurology and mental health.
    "sz": ("seizure", "epilepsy"),
    "szs": ("seizure", "epilepsy"),
    "ha": ("headache",),
    "ms": ("multiple sclerosis",),
    "pd": ("parkinson",),
    "alz": ("alzheimer",),
    "ams": ("altered mental status",),
    "loc": ("loss of consciousness",),
    "mdd": ("major depressive disorder",),
    "dep": ("depression", "depressive"),
    "gad": ("generalized anxiety disorder",),
    "ptsd": ("post-traumatic stress disorder",),
    "adhd": ("attention-deficit hyperactivity disorder",),
    "add": ("attention-deficit hyperactivity disorder",),
    "ocd": ("obsessive-compulsive disorder",),
    "bpd": ("bipolar disorder", "borderline personality disorder"),
    "etoh": ("alcohol",),
    "aud": ("alcohol dependence", "alcohol abuse"),
    "oud": ("opioid dependence", "opioid abuse"),
    "sud": ("drug dependence", "drug abuse"),
    "tob": ("tobacco", "nicotine"),
    "smoker": ("nicotine dependence", "tobacco use"),
    "asd": ("autistic disorder", "atrial septal defect"),
    "cva/tia": ("cerebral infarction", "transient cerebral ischemic attack"),
    # Infection, skin, eyes, ears and general.
    "hiv": ("hiv", "human immunodeficiency virus"),
    "std": ("sexually transmitted",),
    "sti": ("sexually transmitted",),
    "mrsa": ("methicillin resistant staphylococcus aureus",),
    "cellul": ("cellulitis",),
    "abx": ("antibiotics",),
    "uti/cystitis": ("cystitis",),
    "bcc": ("basal cell carcinoma",),
    "scc": ("squamous cell carcinoma",),
    "ca": ("malignant neoplasm", "cancer", "carcinoma"),
    "cancer": ("malignant neoplasm", "cancer"),
    "ak": ("actinic keratosis",),
    "sk": ("seborrheic keratosis",),
    "ad": ("atopic dermatitis",),
    "pih": ("gestational hypertension",),
    "iud": ("intrauterine contraceptive device",),
    "pcos": ("polycystic ovarian syndrome",),
    "pms": ("premenstrual",),
    "lmp": ("menstrual",),
    "amd": ("age-related macular degeneration",),
    "poag": ("primary open-angle glaucoma",),
    "wcc": ("well child", "routine child health examination"),
    "awv": ("general adult medical examination",),
    "physical": ("general adult medical examination", "physical"),
    "checkup": ("general adult medical examination", "routine child health examination"),
    "wellness": ("general adult medical examination",),
    "vacc": ("vaccination", "immunization"),
    "imm": ("immunization",),
    "ltc": ("long term",),
    "ltd": ("long term",),
    "anticoag": ("anticoagulants",),
    "insulin": ("insulin",),
    "fever": ("fever",),
    "wt": ("weight",),
    "sob/doe": ("shortness of breath", "dyspnea"),
    "n": ("nausea",),
    "v": ("vomiting",),
    "d": ("diarrhea",),
    "hyperlipid": ("hyperlipidemia",),
    "high": ("high", "elevated", "hyper"),
    "low": ("low", "hypo"),
    "bp": ("blood pressure",),
    "hr": ("heart rate",),
    "chol": ("cholesterol", "hypercholesterolemia"),
    "sugar": ("glucose", "hyperglycemia"),
    "kidney": ("kidney", "renal"),
    "renal": ("renal", "kidney"),
    "heart": ("heart", "cardiac"),
    "cardiac": ("cardiac", "heart"),
    "stomach": ("stomach", "gastric", "abdominal"),
    "belly": ("abdominal",),
    "tummy": ("abdominal",),
    "lung": ("lung", "pulmonary"),
    "pulmonary": ("pulmonary", "lung"),
    "liver": ("liver", "hepatic"),
    "skin": ("skin", "cutaneous"),
    "pee": ("urination", "urinary"),
    "throat": ("throat", "pharyngitis"),
    "sore": ("sore", "pain"),
    "ache": ("pain", "ache"),
    "cold": ("acute nasopharyngitis", "cold"),
    "pinkeye": ("conjunctivitis",),
    "heartburn": ("heartburn", "reflux"),
    "stroke": ("stroke", "cerebral infarction"),
    "blood": ("blood", "hemorrhage"),
    "leg": ("leg", "lower extremity", "lower limb"),
    "arm": ("arm", "upper extremity", "upper limb"),
    "thinner": ("anticoagulants",),
}

# Pairs typed as two words that mean one abbreviation ("a fib", "a-fib", "dm 2", "n v").
# The search joins neighbouring tokens and tries the result before the single words.
JOINABLE = frozenset({"afib", "aflutter", "dm2", "dm1", "t2dm", "t1dm", "covid19", "nv", "vtach"})

# Words a query can drop without changing what it asks for.
STOP_WORDS = frozenset(
    {"a", "an", "and", "or", "the", "of", "in", "on", "at", "to", "for", "by", "from", "is", "as"}
    | {"with", "pt", "patient", "dx", "due"}
)

# Words that say little about the condition: they count less when "shorter is more general".
GENERIC_WORDS = frozenset(
    {"unspecified", "nos", "not", "elsewhere", "classified", "specified", "site", "organism"}
    | {"other", "type", "of", "and", "or", "the", "in", "with", "to", "for", "a", "an", "as"}
)

# Seventh-character wording: a query using these wants the 7th-character codes themselves.
EXTENSION_WORDS = (
    "initial", "subsequent", "sequela", "encounter", "healing", "nonunion", "malunion",
    "routine", "delayed", "closed", "open",
)  # fmt: skip

# Diagnoses that top the billed-frequency lists of US primary care, urgent care and
# specialty clinics. A matching code among these ranks above rarer siblings of the same fit.
_COMMON_CODES_TEXT = """
    I10 I11.9 I12.9 I13.10 I25.10 I48.91 I48.0 I48.20 I50.9 I50.32 I50.22 I63.9 I73.9 I87.2
    E11.9 E11.65 E11.22 E11.40 E11.42 E11.21 E11.69 E11.8 E10.9 E10.65 E13.9 E66.9 E66.01 E66.3
    E78.5 E78.2 E78.00 E78.1 E78.49 E03.9 E05.90 E55.9 E53.8 E87.6 E86.0 E83.42 E61.1 D64.9
    D50.9 D51.9 D69.6 R73.03 R73.9 R73.01 Z79.4 Z79.84 Z79.01 Z79.899 Z79.82 Z00.00 Z00.01
    Z00.121 Z00.129 Z01.419 Z12.31 Z12.11 Z23 Z13.220 Z13.1 Z71.3 Z68.41 Z72.0 Z87.891 Z86.73
    Z20.822 Z51.81 Z79.2 Z96.651 Z96.641 Z95.1 Z95.0 Z90.49 Z98.890 Z30.011 Z3A.00 Z34.90
    J06.9 J02.9 J02.0 J01.90 J20.9 J18.9 J44.1 J44.9 J44.0 J45.909 J45.901 J45.20 J30.9 J30.2
    J32.9 J03.90 J40 J96.01 J98.4 J12.82 U07.1 J10.1 J11.1 J09.X2 R05.9 R05.1 R06.02 R06.00
    R09.81 R07.9 R07.89 R10.9 R10.84 R10.11 R10.31 R10.13 R11.2 R11.0 R19.7 R50.9 R51.9 R53.83
    R53.1 R42 R55 R41.82 R60.0 R63.4 R63.5 R31.9 R35.0 R39.15 R39.9 R32 R52 R20.2 R26.89 R26.81
    R56.9 R68.89 R94.31 R94.4 R79.89 R74.01 R00.2 R00.0 R00.1 R01.1 K21.9 K21.00 K59.00 K59.09
    K58.9 K57.30 K29.70 K30 K52.9 K92.1 K92.2 K76.0 K80.20 K64.9 K62.5 K56.609 K35.80 A09
    N39.0 N30.00 N18.30 N18.31 N18.32 N18.4 N18.5 N18.6 N18.9 N17.9 N40.0 N40.1 N20.0 N95.1
    N94.6 N92.0 N63.0 N52.9 N28.9 M54.50 M54.59 M54.2 M54.16 M54.17 M54.9 M54.41 M54.42 M54.6
    M25.561 M25.562 M25.511 M25.512 M25.551 M25.552 M25.571 M25.572 M17.11 M17.12 M17.0 M17.9
    M19.90 M16.9 M16.11 M16.12 M15.0 M79.7 M79.10 M79.18 M79.604 M79.605 M79.641 M79.642
    M62.830 M81.0 M85.80 M10.9 M06.9 M35.3 M47.816 M47.812 M51.26 M51.36 M48.06 M48.061
    M75.101 M75.102 M77.10 M65.4 M72.2 M76.60 M99.03 M99.01 G47.33 G47.00 G43.909 G43.009
    G44.209 G40.909 G89.29 G89.4 G56.00 G62.9 G30.9 G20.A1 G35 G25.81 G93.40 F41.1 F41.9 F41.0
    F32.9 F32.A F33.1 F33.0 F32.1 F43.10 F43.23 F43.22 F90.0 F90.2 F17.210 F17.200 F10.20
    F11.20 F03.90 F51.01 F84.0 F31.9 F20.9 F42.2 H66.90 H66.91 H66.92 H65.90 H61.21 H61.22
    H61.23 H10.9 H10.33 H52.4 H40.9 H35.30 H25.9 H81.10 H92.09 L03.90 L03.115 L03.116 L02.91
    L30.9 L20.9 L70.0 L40.9 L57.0 L82.1 L82.0 L60.0 L21.9 L50.9 L72.3 B34.9 B35.1 B35.3 B37.3
    B37.9 B00.9 B02.9 B07.9 A49.9 A08.4 A41.9 A69.20 C61 C50.911 C50.912 C34.90 C18.9 C44.91
    C43.9 D22.9 D48.5 D49.2 O09.90 O80 O99.89 O26.899 O24.419 O13.9 Z33.1 S93.401A S93.402A
    S93.409A S83.90XA S39.012A S16.1XXA S13.4XXA S06.0X0A S06.9X0A S09.90XA S60.00XA S61.409A
    S61.419A S01.81XA S52.501A S52.502A S62.90XA S82.90XA S92.901A S42.001A S42.002A T14.90XA
    T78.40XA T63.441A W19.XXXA Y93.89 V89.2XXA
    """
COMMON_CODES = frozenset(_COMMON_CODES_TEXT.split())
