"""Examples for the health-detail guard (comments/health.py), all written for this project.

POSITIVE: comments that carry someone's health or contact details, each with the kind the guard
must name. NEGATIVE: ordinary comments a spine-care blog gets, which must pass without a warning
(phone-like numbers, years, drug names in questions, "your doctor" in general advice).
STAFF_*: replies written by staff, with the comment they answer; care confirmed and quotations
count for them too.
"""

POSITIVE = [
    ("Please call me at (505) 555-0187 about the fusion recovery group.", "phone"),
    ("My cell is 505.555.0163 if anyone wants to compare notes.", "phone"),
    ("Text me on 555-0199, I had the same thing.", "phone"),
    ("You can reach me at +1 312 555 0148 any evening.", "phone"),
    ("Email me at dana.morrow@example.com and I'll tell you how my recovery went.", "email"),
    ("Write to j_kim+back@example.org, happy to share my notes from PT.", "email"),
    ("I was born on 4 March 1961 and I'm still walking every day after my fusion.", "birth"),
    ("DOB 07/12/1958, is that too old for a disc replacement?", "birth"),
    ("My birthday is June 2nd and the surgeon says I'll be home by then.", "birth"),
    ("I had my laminectomy on March 14, 2025 and the leg pain is gone.", "date"),
    ("The MRI on 11/03/2024 showed a herniation at L5-S1.", "date"),
    ("My epidural injection is booked for 2026-08-19, nervous!", "date"),
    ("I'm scheduled for surgery on the 21st of September.", "date"),
    ("Admitted 3/2 and discharged 3/5, the nurses were lovely.", "date"),
    ("My surgery is on Monday and I have not slept all week.", "procedure"),
    ("My microdiscectomy is next Thursday, any tips?", "procedure"),
    ("My appointment is tomorrow with the spine team, what should I ask?", "procedure"),
    ("My consultation was on Friday and they want another scan.", "procedure"),
    ("My MRN is 00482913, can someone look up my results?", "record"),
    ("Patient ID: A2248193 in case the office needs it.", "record"),
    ("My medical record number is 7734-221, they lost my films.", "record"),
    ("Insurance member ID W88213467 was refused for the injection.", "record"),
    ("My SSN ends in... well it is 123-45-6789 on the form they lost.", "record"),
    ("I take gabapentin 300 mg three times a day and it barely helps.", "medication"),
    ("I'm on oxycodone since the operation and want to stop.", "medication"),
    ("My doctor prescribed me Lyrica but it makes me dizzy.", "medication"),
    ("I've been taking meloxicam 15mg every morning for a year.", "medication"),
    ("Mom started tramadol last week after her fall.", "medication"),
    ("I stopped Cymbalta because of the side effects, was that wrong?", "medication"),
    ("My dose of prednisone was raised after the flare.", "medication"),
    ("We tried Flexeril at night and it helped her sleep.", "medication"),
    ("My fusion was on 12 January and I'm back at work.", "date"),
    ("Born 1972-05-30, two fusions later and still hiking.", "birth"),
    ("Reach me at 505 555 0121 or sam.ortiz@example.net.", "phone"),
    # Written after the rules, to test them rather than fit them.
    ("Feel free to ring me, 0161 496 0123, I'm in Manchester.", "phone"),
    ("my op is on the 3rd so I'll report back", "procedure"),
    ("They put me on Neurontin after the injection and I feel foggy.", "medication"),
    ("I was born 2 Feb 1949, is an injection still worth it at my age?", "birth"),
]

NEGATIVE = [
    "Thank you for this clear explanation, it finally makes sense why my leg hurts.",
    "I've had lower back pain for about 10 years and walking helps more than anything.",
    "Is ibuprofen or acetaminophen better for a sore back after gardening?",
    "Does gabapentin really work for nerve pain, or is it mostly for seizures?",
    "Great article. The part about sitting posture was really useful.",
    "My father had surgery in 2019 and he says it was the best decision he made.",
    "After my surgery last year I can finally pick up my grandchildren again.",
    "How long does recovery from a microdiscectomy usually take?",
    "Surgery on the lower back should be a last resort, in my experience.",
    "I read that an MRI can show disc bulges in people with no pain at all. Is that true?",
    "The L4-L5 level seems to come up in every article I read.",
    "Can physical therapy help with spinal stenosis, or is surgery the only option?",
    "I walk 5,000 steps a day and my back feels better for it.",
    "Your doctor should be able to tell you whether an epidural is worth trying.",
    "We printed this out for my aunt, who doesn't use the internet.",
    "Is it normal for sciatica to come and go over 2 or 3 weeks?",
    "Thanks! I shared this with my running club.",
    "What is the difference between a herniated disc and a bulging disc?",
    "The 1-2-3 stretching routine in the video was easy to follow.",
    "I wish I had known about core exercises 20 years ago.",
    "Could you write about sleeping positions for people with neck pain?",
    "My mom swears by heat packs, but ice seems to work better for me.",
    "Do you have any advice for desk workers who sit 8 hours a day?",
    "The office was easy to find and the parking is free, for anyone wondering.",
    "I called the office at (505) 555-0142 and they answered all my questions.",
    "Is it safe to lift weights after a fusion, or should I stick to swimming?",
    "What a relief to read that most back pain gets better on its own within 6 weeks.",
    "I have a standing desk now, 50/50 standing and sitting, and it helps.",
    "Could someone explain what a pinched nerve actually is?",
    "This is the third article I've read here this week, keep them coming!",
    "In 2023 the guidelines changed, didn't they? I remember reading about it.",
    "How many people get better with physiotherapy alone?",
    "I'm a nurse and I send patients to this blog all the time.",
    "Do opioids like oxycodone help chronic back pain, or just short-term pain?",
    "Please add a print button, my dad likes paper copies.",
    "The diagram of the vertebrae on page 2 is very helpful.",
    # Written after the rules, to test them rather than fit them.
    "Dr. Patel's talk on 5/14 about injections at the library was great.",
    "I ran a 10k on May 5 and my back held up!",
    "My appointment went well, thanks for the tips on what to ask.",
    "Version 2 of the exercise sheet came out on March 3, is there a newer one?",
]

# (reply, the comment it answers)
STAFF_POSITIVE = [
    ("Glad your surgery with us went well, Maria!", "My back is so much better."),
    ("We'll call you to move your follow-up appointment.", "Can I change my visit?"),
    ("At your next visit Dr. Patel will go over the scan.", "What did my MRI show?"),
    ("Since you came in last month, has the numbness improved?", "Still numb in my foot."),
    ("I checked your chart and the results are normal.", "Any news on my bloods?"),
    ("As our patient you can ask for your films any time.", "Can I get my films?"),
    (
        "You said the pain started after lifting boxes at work last spring, which is common.",
        "The pain started after lifting boxes at work last spring and never went away.",
    ),
    ("Dr. Lee saw you on Tuesday, so the office will send the report.", "Who has my report?"),
    ("Great to see you at the clinic yesterday!", "Thanks for the advice."),
    ("Your appointment on the 14th is confirmed.", "Is my appointment still on?"),
]

STAFF_NEGATIVE = [
    ("Thanks for reading! Walking is one of the best things for sciatica.", "Does walking help?"),
    ("Please ask your surgeon; every recovery is different.", "When can I drive again?"),
    ("Your doctor can order an MRI if the pain lasts more than six weeks.", "Do I need an MRI?"),
    (
        "We cannot give advice about anyone's care here, but the article has general guidance.",
        "Should I stop my pills?",
    ),
    ("Many people find heat helps in the first days; ice can help too.", "Heat or ice?"),
    (
        "If you would like an appointment, call the office at (505) 555-0142.",
        "Are you taking new patients?",
    ),
    (
        "Good question. Recovery from a microdiscectomy is often a few weeks.",
        "How long is recovery?",
    ),
    (
        "Sitting for long stretches can make sciatica worse, so take breaks.",
        "Does sitting make sciatica worse?",
    ),
    ("We will write an article about sleeping positions soon.", "Any tips for sleeping?"),
    ("Thanks for your kind words about the team!", "Your nurses are lovely."),
]
