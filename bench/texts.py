"""Words the data generator builds fictional schools, people and case notes from.

Plain lists rather than Faker: the generator runs from a management command on installs without
the development requirements, and a fixed list drawn with a seeded Random is deterministic.
"""

GIRLS_NAMES = (
    "Amelia", "Isla", "Ava", "Mia", "Ivy", "Freya", "Lily", "Florence", "Willow", "Rosie", "Sophia", "Isabella",
    "Grace", "Evie", "Poppy", "Ella", "Aisha", "Zara", "Maryam", "Priya", "Sienna", "Kacey", "Chloe", "Maisie",
    "Millie", "Daisy", "Layla", "Eliza", "Hannah", "Ruby",
)  # fmt: skip
BOYS_NAMES = (
    "Oliver", "George", "Noah", "Arthur", "Leo", "Oscar", "Harry", "Archie", "Jack", "Henry", "Charlie", "Theo",
    "Alfie", "Jacob", "Thomas", "Finley", "Mohammed", "Ibrahim", "Yusuf", "Kai", "Arjun", "Jayden", "Tyler",
    "Reuben", "Riley", "Logan", "Ethan", "Mason", "Lucas", "Dylan",
)  # fmt: skip
FIRST_NAMES = GIRLS_NAMES + BOYS_NAMES

LAST_NAMES = (
    "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson",
    "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes", "Green", "Hall",
    "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood", "Turner", "Martin", "Cooper", "Hill", "Ward",
    "Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison", "Morgan", "Allen", "James", "Scott",
    "Phillips", "Watson", "Davis", "Parker", "Price", "Bennett", "Young", "Griffiths", "Mitchell", "Kelly",
    "Cook", "Carter", "Richardson", "Bailey", "Collins", "Bell", "Shaw", "Murphy", "Miller", "Cox", "Begum",
    "Khan", "Ali", "Hussain", "Ahmed", "Singh", "Kaur", "Nowak", "Kowalski", "Okafor", "Mensah", "Adeyemi",
    "O'Brien", "Doyle", "Rigby", "Ashworth", "Pearce",
)  # fmt: skip

PLACES = (
    "Ashford", "Brookfield", "Castlegate", "Dunmore", "Elmstead", "Fairview", "Glenbrook", "Hatton",
    "Ivybridge", "Kingsmead", "Larkhill", "Meadowbank", "Northgate", "Oakhurst", "Pinewood", "Queensway",
    "Redbrook", "Southfields", "Thornbury", "Upton", "Valley Road", "Westbury", "Yew Tree", "Ambleside",
    "Birchwood", "Coppice", "Denbridge", "Eastfield", "Foxhill", "Greenacres",
)  # fmt: skip

STREETS = (
    "Meadow Lane", "Church Street", "Mill Road", "Station Road", "Park Avenue", "Victoria Street",
    "The Crescent", "Orchard Close", "Willow Way", "Manor Road", "High Street", "Brook Lane",
)  # fmt: skip

# (name, kind) of the providers every school's directory holds, in the states a DSL meets.
OFFSITE_PROVIDERS = (
    "Littleton Green Centre", "Brookside Learning Hub", "Northbridge Outdoor Learning", "Greenway Care Farm",
    "Horizons Tuition", "Riverside Vocational Studio",
)  # fmt: skip
INTERNAL_PROVIDERS = ("Rockets class", "The Hub (IAP)")

CONCERNS = (
    "Leaves lessons most days and has been found in the toilets during maths; two fixed-term suspensions "
    "this term after confrontations at lunchtime.",
    "Attendance has fallen to 78% since September and she no longer joins in group work; says she feels "
    "unsafe in the busy corridors.",
    "Frequent outbursts when asked to write; has thrown equipment twice this half-term. Learning support "
    "in class has not settled him.",
    "Withdrawn and tearful in the mornings, refuses to enter the classroom on two or three days a week.",
    "Persistent disruption in most lessons despite a behaviour plan and daily check-ins with the pastoral lead.",
)
STRATEGIES = (
    "Seat move, daily check-in with a key adult, reward chart, a time-out card and a meeting with parents.",
    "Small-group literacy, a quiet space at break, a reduced homework load and a referral to the school nurse.",
    "Pastoral support plan reviewed fortnightly; mentoring with the learning mentor twice a week.",
)
OBJECTIVES = (
    "Attend every session; no further suspensions; re-engage with English and maths (Boxall profile "
    "self-regulation scores up by the half-term review).",
    "Attendance above 90%; read daily with an adult; manage transitions with a visual timetable.",
    "Build a trusting relationship with a key worker; join a small group for two sessions a week.",
)
REASONS = (
    "Persistent disruption of lessons, two suspensions this term and a risk of permanent exclusion. Support "
    "in class has not been enough.",
    "Social, emotional and mental health needs that stop him learning in a class of thirty for now.",
    "Anxiety-related non-attendance; a smaller, calmer setting is agreed with the family and CAMHS.",
)
NOTES = (
    "Phone call with mum: the mornings are calmer since the taxi started.",
    "Weekly summary from the provider: full attendance, good progress in reading.",
    "Met the class teacher to plan the first afternoon back in class.",
    "Pupil missed the taxi; mum drove him in, arrived 10:15.",
    "Speech and language therapist visited the provision; report to follow.",
    "Boxall profile reassessed: self-regulation scores up since entry.",
    "Parents' evening: mum asked about the return timetable.",
    "Annual review paperwork sent to the local authority SEND team.",
    "Check-in with the key worker at the provision: settling well, enjoyed forest school.",
    "Meeting with the class teacher about work to send to the provision.",
    "E-mail from the provider: a difficult week, two early collections.",
    "CAMHS appointment attended; letter filed with the pastoral team.",
    "Pupil voice: says maths is easier in the small group.",
    "Spoke to dad at pick-up about the timetable change after half-term.",
    "Educational psychologist's report received and shared with the provider.",
)
INCIDENTS = (
    "Refused to follow instructions on the minibus and left the group for ten minutes.",
    "Verbal altercation with another pupil during a practical session; calmed with his key worker.",
    "Threw a chair in the classroom; no one was hurt. Parents informed the same day.",
    "Left the site at lunchtime and was found at the bus stop by staff.",
)
RESPONSES = "Met the provider and parents; the plan now includes a daily regulation session and a safe space."
VISIT_NOTES = (
    "Calm, engaged in a small-group maths session; proud to show her book.",
    "Working one-to-one on reading; good relationship with the key worker.",
    "On the forest school site building a shelter with two other pupils; cooperative throughout.",
)

# Reviews and the return to class (bench/generator/reviews.py).
PUPIL_VOICES = (
    "Likes the small maths group; finds the taxi journey long.",
    "“I want to go back to my class after Christmas.”",
    "Says the key worker listens; misses friends at lunchtime.",
    "Did not want to talk about school today.",
    "Proud of the shelter built at forest school; finds writing hard.",
)
PARENTS_VIEWS = (
    "Mum is pleased with the change at home and wants the placement to continue.",
    "Dad asked for a weekly phone call with the key worker.",
    "Mum worries about the return to the busy classroom and asks for a gradual timetable.",
)
PROVIDER_REPORTS = (
    "Settled well; attends most sessions and engages with practical work.",
    "Good progress in reading; still leaves the room when asked to write.",
    "Two difficult days this half-term; calm and cooperative otherwise.",
    "Targets mostly met; ready to plan the return to class.",
)
DECISION_NOTES = {
    "continue": "Targets stay as agreed; the next review as planned.",
    "change": "Progress is not satisfactory yet: writing through practical tasks and a daily home-school book.",
    "extend": "More time to secure the progress in reading before the return.",
    "end": "Back to class with a graduated timetable and a key adult at lunchtime.",
}
REVIEW_ACTIONS = (
    "Send the maths targets to the provider",
    "Start a daily home-school book",
    "Call home on the first morning of any absence",
    "Share the reading assessment with the class teacher",
    "Arrange a visit to the class before the return",
)
REQUEST_TEXTS = (
    "Asks for a review of the placement after the incident last week.",
    "Asks whether the placement can end before the planned date.",
)
PLAN = {
    "strengths": "Kind to younger children; enjoys practical and outdoor work; reads with expression when calm.",
    "needs": "Regulation after lunch and in busy spaces; help to start written tasks.",
    "agreed_targets": "Use a calm-down strategy without prompting; join the class for afternoons by week 2.",
    "classroom_strategies": "Seat near the door; a visual timetable; a 'help' card; movement breaks after lunch.",
    "who_supports": "The SENDCo weekly; the class teacher in class; the provider's key worker by phone; "
    "parents at home.",
}
PLAN_CHANGES = (
    "Settled quickly: mornings in class added a week earlier than planned.",
    "A difficult first week back: afternoons only for one more week.",
)
FINAL_REPORT = {
    "attainment_progress": "Reading and number each up a stage or more since entry.",
    "behaviour_evidence": "No serious incidents this half-term; uses a calm-down card without prompting.",
    "pupil_views": "Says they are ready to go back to class and wants to sit near the door.",
    "objectives_on_return": "Attend every session; stay in class for whole lessons with a key adult at lunch.",
}
CHECK_IN_NOTES = (
    "Settled; one wobble at lunch, handled by the key adult.",
    "In class full time; the class teacher reports good focus in the mornings.",
    "Struggling in the afternoons; the SENDCo is meeting the family.",
)
