"""Words that carry no meaning of their own in a question or a heading: one list for ingest and the bot."""

STOPWORDS = frozenset(
    """a ok okay about above after again against all am an and any are as at be because been before being below between both
    but by can could did do does doing down during each few for from further had has have having he her here hers him
    his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other our
    ours out over own same she should so some such than that the their theirs them then there these they this those
    through to too under until up very was we were what when where which while who whom why will with would you your
    yours yourself yourselves himself herself themselves ourselves oneself tell know want like get got really also much many one two may might must shall us let lets
    im i'm i'd i've id ive youre you're it's thats that's whats what's s t don't dont every
    wanna gonna gotta tbh idk imo imho lol pls plz ur doesnt didnt isnt cant wont isn aren wasn weren doesn didn
    hasn haven couldn shouldn wouldn anything something everything nothing anyone someone anybody somebody
    honestly basically literally kinda sorta weirdly without within""".split()
)
