"""Background texts for calibrating relevance: everyday sentences about nothing a news article is
likely to be about, in German and English.

How close such unrelated texts come to an article, with a given model and that article's pieces,
is the yardstick a comment's closeness is measured against (see `relevance.calibrate`). They cover
many topics, so that an article about one of them (the weather, football) moves only a few of
them, and the median and spread the calibration takes stay put. Some read like the off-topic
comments a discussion gets: spam, chatter, questions to other readers about something else.
"""

BACKGROUND = {
    "de": [
        "Heute Morgen hat es stark geregnet, am Nachmittag kam die Sonne heraus.",
        "Für den Kuchen brauchen Sie Mehl, Zucker, drei Eier und etwas Butter.",
        "Mein Hund schläft am liebsten auf dem Sofa im Wohnzimmer.",
        "Der Zug nach Hamburg hatte wieder zwanzig Minuten Verspätung.",
        "Ich suche noch ein gutes Rezept für Gemüsesuppe, hat jemand einen Tipp?",
        "Im Urlaub waren wir am Meer und haben jeden Tag Eis gegessen.",
        "Mein Laptop startet seit dem letzten Update nicht mehr richtig.",
        "Verdienen Sie von zu Hause aus tausend Euro pro Woche, jetzt anmelden!",
        "Die Tomaten im Garten werden dieses Jahr besonders groß.",
        "Gestern habe ich einen spannenden Krimi bis spät in die Nacht gelesen.",
        "Das Fußballspiel am Samstag endete unentschieden.",
        "Meine Katze hat heute eine Maus gefangen und stolz hereingebracht.",
        "Im Fitnessstudio war es so voll, dass ich wieder nach Hause gegangen bin.",
        "Kann mir jemand sagen, wie man Flecken aus einem weißen Hemd entfernt?",
        "Der neue Film im Kino hat mir überhaupt nicht gefallen.",
        "Zum Geburtstag habe ich meiner Schwester ein Buch geschenkt.",
        "Die Waschmaschine macht seit Tagen ein lautes Geräusch beim Schleudern.",
        "Im Herbst färben sich die Blätter im Park rot und gelb.",
        "Ich trinke morgens immer zwei Tassen Kaffee mit Milch.",
        "Günstige Kredite ohne Schufa, schnell und einfach online beantragen.",
        "Unser Nachbar spielt jeden Abend Klavier, ziemlich gut sogar.",
        "Beim Wandern in den Bergen haben wir einen Adler gesehen.",
        "Wie lange muss man Nudeln eigentlich kochen, damit sie bissfest sind?",
        "Meine Großmutter strickt gerade einen Schal für den Winter.",
        "Das Handy ist mir heute Morgen in die Badewanne gefallen.",
        "Am Wochenende räume ich endlich den Keller auf.",
        "Die Bäckerei an der Ecke verkauft die besten Brötchen.",
        "Mein Sohn lernt gerade Fahrradfahren ohne Stützräder.",
        "Die Erdbeeren auf dem Markt waren heute sehr teuer.",
        "Ich habe mir einen neuen Wintermantel in Dunkelblau gekauft.",
        "Hat jemand Erfahrung mit Zahnarztbehandlungen im Ausland?",
        "Die Sterne waren letzte Nacht besonders klar zu sehen.",
    ],
    "en": [
        "It rained heavily this morning, but the sun came out in the afternoon.",
        "For the cake you need flour, sugar, three eggs and some butter.",
        "My dog likes to sleep on the sofa in the living room.",
        "The train to Manchester was twenty minutes late again.",
        "I am still looking for a good vegetable soup recipe, any tips?",
        "On holiday we stayed by the sea and had ice cream every day.",
        "My laptop has not started properly since the last update.",
        "Earn a thousand dollars a week working from home, sign up now!",
        "The tomatoes in the garden are growing especially big this year.",
        "Yesterday I read an exciting crime novel until late at night.",
        "Saturday's football match ended in a draw.",
        "My cat caught a mouse today and proudly brought it inside.",
        "The gym was so crowded that I went back home.",
        "Can anyone tell me how to get stains out of a white shirt?",
        "I did not like the new film at the cinema at all.",
        "I gave my sister a book for her birthday.",
        "The washing machine has been making a loud noise when it spins.",
        "In autumn the leaves in the park turn red and yellow.",
        "I always drink two cups of coffee with milk in the morning.",
        "Cheap loans with no credit check, apply quickly and easily online.",
        "Our neighbour plays the piano every evening, quite well actually.",
        "While hiking in the mountains we saw an eagle.",
        "How long do you actually have to cook pasta so it stays firm?",
        "My grandmother is knitting a scarf for the winter.",
        "My phone fell into the bathtub this morning.",
        "This weekend I am finally clearing out the basement.",
        "The bakery on the corner sells the best bread rolls.",
        "My son is learning to ride a bike without training wheels.",
        "Strawberries at the market were very expensive today.",
        "I bought a new dark blue winter coat.",
        "Does anyone have experience with dental treatment abroad?",
        "The stars were especially clear last night.",
    ],
}


def sentences(language: str) -> list[str]:
    """The background in the given language, or in every language we have when it is not one."""
    if language in BACKGROUND:
        return BACKGROUND[language]
    return [sentence for group in BACKGROUND.values() for sentence in group]
