"""Tip texts for the scorecard, per language; English when a language lacks one."""

from __future__ import annotations

# kind -> language -> text; {quote} is the trainee's own words.
# Quotation marks per language: en “…”, nb «…», da and sv ”…”, pl „…”.
TIPS: dict[str, dict[str, str]] = {
    "blaming": {
        "en": "You wrote \u201c{quote}\u201d: that tells the customer it is their fault, which pours petrol on the fire. Leave fault aside and ask what happened.",
        "nb": "Du skrev «{quote}»: det forteller kunden at det er hans eller hennes egen feil, og det er å helle bensin på bålet. La skyldspørsmålet ligge, og spør heller hva som har skjedd.",
        "da": "Du skrev ”{quote}”: det fortæller kunden, at det er hans eller hendes egen skyld, og det er at hælde benzin på bålet. Lad skyldspørgsmålet ligge, og spørg i stedet, hvad der er sket.",
        "sv": "Du skrev ”{quote}”: det säger till kunden att det är kundens eget fel, och det är som att hälla bensin på elden. Lämna skuldfrågan därhän och fråga i stället vad som har hänt.",
        "pl": "Twoje słowa „{quote}” mówią klientowi, że to jego wina, a to jak dolewanie oliwy do ognia. Zostaw kwestię winy i zapytaj, co się stało.",
    },
    "dismissing": {
        "en": "\u201c{quote}\u201d minimises what the customer feels. Name the feeling instead: \u201cI can hear how frustrating this is.\u201d",
        "nb": "«{quote}» bagatelliserer det kunden føler. Sett heller ord på følelsen: «Jeg skjønner godt hvor frustrerende dette er.»",
        "da": "”{quote}” bagatelliserer det, kunden føler. Sæt hellere ord på følelsen: ”Jeg kan godt forstå, hvor frustrerende det her er.”",
        "sv": "”{quote}” förminskar det kunden känner. Sätt hellre ord på känslan: ”Jag förstår hur frustrerande det här är.”",
        "pl": "„{quote}” umniejsza to, co czuje klient. Zamiast tego nazwij jego uczucia: „Rozumiem, jakie to frustrujące”.",
    },
    "shouting": {
        "en": "\u201c{quote}\u201d reads as shouting. Lower your voice: no capitals, no \u201c!!\u201d; calm text calms the customer.",
        "nb": "«{quote}» leses som roping. Senk stemmen: ingen store bokstaver, ingen «!!»; rolig tekst roer kunden ned.",
        "da": "”{quote}” læses som råb. Sænk stemmen: ingen store bogstaver, ingen ”!!”; en rolig tekst får kunden til at falde til ro.",
        "sv": "”{quote}” läses som att du skriker. Sänk rösten: inga versaler, inga ”!!”; lugn text lugnar kunden.",
        "pl": "„{quote}” brzmi jak krzyk. Obniż głos: bez wielkich liter, bez „!!”; spokojny tekst uspokaja klienta.",
    },
    "condescending": {
        "en": "\u201c{quote}\u201d can make the customer feel stupid. Explain again as if for the first time, without \u201cas I said\u201d.",
        "nb": "«{quote}» kan få kunden til å føle seg dum. Forklar på nytt som om det var første gang, uten «som jeg sa».",
        "da": "”{quote}” kan få kunden til at føle sig dum. Forklar det igen, som om det var første gang, uden ”som jeg sagde”.",
        "sv": "”{quote}” kan få kunden att känna sig dum. Förklara igen som om det vore första gången, utan ”som jag sa”.",
        "pl": "„{quote}” może sprawić, że klient poczuje się głupio. Wyjaśnij jeszcze raz, jakby po raz pierwszy, bez „jak już mówiłem”.",
    },
    "joking": {
        "en": "\u201c{quote}\u201d: a joke tells an angry customer you do not see how angry they are. Stay serious.",
        "nb": "«{quote}»: en spøk forteller en sint kunde at du ikke ser hvor sint han eller hun er. Vær alvorlig.",
        "da": "”{quote}”: en spøg fortæller en vred kunde, at du ikke kan se, hvor vred han eller hun er. Bevar alvoren.",
        "sv": "”{quote}”: ett skämt säger till en arg kund att du inte ser hur arg hen är. Var allvarlig.",
        "pl": "„{quote}”: żart mówi rozgniewanemu klientowi, że nie widzisz, jak bardzo jest zły. Zachowaj powagę.",
    },
    "arguing": {
        "en": "\u201c{quote}\u201d contradicts the customer. Being right does not matter here; let them be heard and confirmed.",
        "nb": "«{quote}» motsier kunden. Her spiller det ingen rolle hvem som har rett; la kunden bli hørt og bekreftet.",
        "da": "”{quote}” modsiger kunden. Her er det ligegyldigt, hvem der har ret; lad kunden blive hørt og bekræftet.",
        "sv": "”{quote}” säger emot kunden. Här spelar det ingen roll vem som har rätt; låt kunden bli hörd och bekräftad.",
        "pl": "„{quote}” zaprzecza klientowi. Tu nie chodzi o to, kto ma rację; pozwól, by klient poczuł się wysłuchany i zrozumiany.",
    },
    "justifying": {
        "en": "\u201c{quote}\u201d explains rules or circumstances instead of listening. Hold the explanation; listen and understand first.",
        "nb": "«{quote}» forklarer regler eller omstendigheter i stedet for å lytte. Vent med forklaringen; lytt og forstå først.",
        "da": "”{quote}” forklarer regler eller omstændigheder i stedet for at lytte. Vent med forklaringen; lyt og forstå først.",
        "sv": "”{quote}” förklarar regler eller omständigheter i stället för att lyssna. Vänta med förklaringen; lyssna och förstå först.",
        "pl": "„{quote}” tłumaczy zasady lub okoliczności, zamiast słuchać. Wstrzymaj się z wyjaśnieniami; najpierw wysłuchaj i zrozum.",
    },
    "overpromising": {
        "en": "\u201c{quote}\u201d promises more than you can be sure of. Never deceive the customer: promise the next step you control.",
        "nb": "«{quote}» lover mer enn du kan være sikker på. Lur aldri kunden: lov heller det neste steget, som du selv har kontroll over.",
        "da": "”{quote}” lover mere, end du kan være sikker på. Snyd aldrig kunden: lov hellere det næste skridt, som du selv har styr på.",
        "sv": "”{quote}” lovar mer än du kan vara säker på. Lura aldrig kunden: lova hellre nästa steg, det som du själv styr över.",
        "pl": "„{quote}” obiecuje więcej, niż możesz zagwarantować. Nigdy nie wprowadzaj klienta w błąd: obiecaj kolejny krok, na który masz wpływ.",
    },
    "too_early": {
        "en": "You offered a solution (\u201c{quote}\u201d) before the customer felt heard. First invite them to tell what happened and acknowledge it; then propose.",
        "nb": "Du foreslo en løsning («{quote}») før kunden følte seg hørt. Inviter først kunden til å fortelle hva som har skjedd, og vis at du forstår; kom så med forslaget.",
        "da": "Du foreslog en løsning (”{quote}”), før kunden følte sig hørt. Invitér først kunden til at fortælle, hvad der er sket, og anerkend det; kom så med dit forslag.",
        "sv": "Du föreslog en lösning (”{quote}”) innan kunden kände sig hörd. Bjud först in kunden att berätta vad som har hänt och bekräfta det; kom sedan med ditt förslag.",
        "pl": "Propozycja rozwiązania („{quote}”) padła, zanim klient poczuł się wysłuchany. Najpierw zachęć go, by opowiedział, co się stało, i okaż zrozumienie; dopiero potem coś zaproponuj.",
    },
    "slow": {
        "en": "The customer waited too long for an answer and spoke up. Answer quickly: impatient customers move on to a competitor.",
        "nb": "Kunden ventet for lenge på svar og sa fra. Svar raskt: utålmodige kunder går videre til en konkurrent.",
        "da": "Kunden ventede for længe på et svar og sagde fra. Svar hurtigt: utålmodige kunder går videre til en konkurrent.",
        "sv": "Kunden väntade för länge på svar och sa ifrån. Svara snabbt: otåliga kunder går vidare till en konkurrent.",
        "pl": "Klient zbyt długo czekał na odpowiedź i dał o sobie znać. Odpowiadaj szybko: niecierpliwi klienci odchodzą do konkurencji.",
    },
    "missing_inviting": {
        "en": "You never invited the customer to tell their story. Try an open question: \u201cTell me what happened?\u201d",
        "nb": "Du inviterte aldri kunden til å fortelle sin historie. Prøv et åpent spørsmål: «Fortell meg hva som har skjedd?»",
        "da": "Du inviterede aldrig kunden til at fortælle sin historie. Prøv med et åbent spørgsmål: ”Vil du fortælle mig, hvad der er sket?”",
        "sv": "Du bjöd aldrig in kunden att berätta sin historia. Prova en öppen fråga: ”Vill du berätta vad som har hänt?”",
        "pl": "Zabrakło zachęty, by klient opowiedział swoją historię. Spróbuj otwartego pytania: „Co się stało? Proszę mi opowiedzieć”.",
    },
    "missing_acknowledging": {
        "en": "You never acknowledged the customer's feeling or problem. Say what you hear: \u201cI understand how annoying this is.\u201d",
        "nb": "Du anerkjente aldri kundens følelser eller problem. Si hva du hører: «Jeg forstår hvor irriterende dette er.»",
        "da": "Du anerkendte aldrig kundens følelser eller problem. Sig, hvad du hører: ”Jeg forstår godt, hvor irriterende det her er.”",
        "sv": "Du bekräftade aldrig kundens känslor eller problem. Säg vad du hör: ”Jag förstår hur irriterande det här är.”",
        "pl": "Zabrakło uznania dla uczuć lub problemu klienta. Powiedz, co słyszysz: „Rozumiem, jakie to irytujące”.",
    },
    "missing_naming": {
        "en": "You never used the customer's name. Addressing them personally wins their attention and goodwill.",
        "nb": "Du brukte aldri kundens navn. Når du henvender deg personlig, vinner du kundens oppmerksomhet og velvilje.",
        "da": "Du brugte aldrig kundens navn. Når du henvender dig personligt, vinder du kundens opmærksomhed og velvilje.",
        "sv": "Du använde aldrig kundens namn. När du tilltalar kunden personligt vinner du hens uppmärksamhet och välvilja.",
        "pl": "Ani razu nie padło imię klienta. Zwracając się do niego osobiście, zyskasz jego uwagę, a nawet życzliwość.",
    },
    "missing_summarizing": {
        "en": "You never summed up what the customer needs. Reflect it back: \u201cSo you need it before Saturday?\u201d",
        "nb": "Du oppsummerte aldri hva kunden trenger. Speil det tilbake: «Så du trenger den før lørdag?»",
        "da": "Du opsummerede aldrig, hvad kunden har brug for. Spejl det tilbage: ”Så du har brug for den inden lørdag?”",
        "sv": "Du sammanfattade aldrig vad kunden behöver. Spegla tillbaka det: ”Så du behöver den före lördag?”",
        "pl": "Zabrakło podsumowania tego, czego potrzebuje klient. Nazwij tę potrzebę: „Czyli zależy Panu na tym, żeby było to przed sobotą?”.",
    },
    "missing_thanking": {
        "en": "You never thanked the customer. Be grateful that they came to you and told you.",
        "nb": "Du takket aldri kunden. Vær takknemlig for at kunden kom til deg og fortalte deg det.",
        "da": "Du takkede aldrig kunden. Vær taknemmelig for, at kunden kom til dig og fortalte dig det.",
        "sv": "Du tackade aldrig kunden. Var tacksam för att kunden vände sig till dig och berättade.",
        "pl": "W rozmowie zabrakło podziękowania. Okaż wdzięczność za to, że klient zwrócił się właśnie do ciebie i o wszystkim opowiedział.",
    },
    "missing_solving": {
        "en": "You never proposed a concrete next step. Once they feel heard, take control like a doctor: propose the right solution yourself.",
        "nb": "Du foreslo aldri et konkret neste steg. Når kunden føler seg hørt, ta styringen som en lege: foreslå selv den riktige løsningen.",
        "da": "Du foreslog aldrig et konkret næste skridt. Når kunden føler sig hørt, så tag styringen som en læge: foreslå selv den rigtige løsning.",
        "sv": "Du föreslog aldrig något konkret nästa steg. När kunden känner sig hörd, ta kontrollen som en läkare: föreslå själv rätt lösning.",
        "pl": "Zabrakło konkretnego kolejnego kroku. Gdy klient poczuje się wysłuchany, przejmij inicjatywę jak lekarz: samodzielnie zaproponuj właściwe rozwiązanie.",
    },
    "keep": {
        "en": "Well done. Keep listening first, then propose the solution yourself.",
        "nb": "Godt jobbet. Fortsett å lytte først, og foreslå så løsningen selv.",
        "da": "Godt gået. Bliv ved med at lytte først, og foreslå så selv løsningen.",
        "sv": "Bra jobbat. Fortsätt att lyssna först och föreslå sedan lösningen själv.",
        "pl": "Dobra robota. Tak trzymaj: najpierw słuchaj, a potem samodzielnie zaproponuj rozwiązanie.",
    },
}


def tip_text(kind: str, language: str, **values: str) -> str:
    texts = TIPS.get(kind, TIPS["keep"])
    text = texts.get(language) or texts["en"]
    return text.format(**values)
