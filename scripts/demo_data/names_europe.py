"""Naming cultures of Europe and Turkey (Latin, Greek and Cyrillic scripts)."""

from __future__ import annotations

from .culture import Culture, czech_female, latin, pairs, polish_female, slavic_female

GERMAN = Culture(
    "german", "de",
    latin("Jürgen, Thomas, Stefan, Andreas, Michael, Markus, Frank, Matthias, Christian, "
          "Alexander, Tobias, Florian, Jan, Lukas, Felix, Jens, Uwe, Klaus, Wolfgang, Dieter, "
          "Bernd, Jörg, Sebastian, Maximilian, Ralf, Torsten, Björn, Niklas"),
    latin("Sabine, Katrin, Andrea, Claudia, Julia, Anna, Laura, Lena, Nicole, Stefanie, Petra, "
          "Birgit, Anja, Sandra, Susanne, Melanie, Franziska, Jana, Ursula, Heike, Kerstin, "
          "Annika, Carolin, Jutta, Bärbel"),
    latin("Müller, Schmidt, Schneider, Fischer, Weber, Meyer, Wagner, Becker, Schulz, Hoffmann, "
          "Schäfer, Koch, Bauer, Richter, Klein, Wolf, Schröder, Neumann, Schwarz, Zimmermann, "
          "Braun, Krüger, Hartmann, Lange, Schmitt, Werner, Krause, Meier, Lehmann, Köhler, "
          "Herrmann, König, Walter, Huber, Kaiser, Fuchs, Peters, Lang, Scholz, Möller, Weiß, "
          "Jung, Hahn, Vogel, Friedrich, Keller, Günther, Berger, Winkler, Roth, Lorenz, Baumann, "
          "Albrecht, Schuster, Böhm, Winter, Kraus, Schumacher, Krämer, Vogt, Stein, Jäger, "
          "Sommer, Groß, Seidel, Brandt, Haas, Graf, Dietrich, Ziegler, Kühn, Engel, Horn, "
          "Bergmann, Pfeiffer, Gruber, Wimmer, Egger, Steiner, Moser, Brunner, Gerber, Frei"),
    umlauts=True,
    titles=(("Einkaufsleiter", "Einkaufsleiterin"), ("Geschäftsführer", "Geschäftsführerin"),
            ("Inhaber", "Inhaberin"), ("Lichtplaner", "Lichtplanerin"),
            ("Projektleiter", "Projektleiterin"), ("Technischer Leiter", "Technische Leiterin"),
            ("Produktmanager", "Produktmanagerin"), ("Leiter Einkauf", "Leiterin Einkauf")),
)  # fmt: skip

FRENCH = Culture(
    "french", "fr",
    latin("Jean, Pierre, Michel, Philippe, Alain, Nicolas, Christophe, Laurent, Stéphane, "
          "Sébastien, Julien, Thomas, Antoine, François, Frédéric, Jérôme, Olivier, Mathieu, "
          "Guillaume, Benoît, Jean-Luc, Jean-Pierre, Pierre-Yves, Hervé, Loïc, Grégoire"),
    latin("Marie, Nathalie, Isabelle, Sylvie, Catherine, Céline, Sandrine, Sophie, Aurélie, "
          "Émilie, Camille, Julie, Hélène, Chloé, Élodie, Anaïs, Mélanie, Léa, Margaux, Inès, "
          "Marie-Claire, Anne-Sophie, Agnès, Bérénice, Maëlle"),
    latin("Martin, Bernard, Dubois, Thomas, Robert, Richard, Petit, Durand, Leroy, Moreau, "
          "Simon, Laurent, Lefebvre, Michel, David, Bertrand, Roux, Vincent, Fournier, Morel, "
          "Girard, André, Lefèvre, Mercier, Dupont, Lambert, Bonnet, François, Legrand, "
          "Garnier, Faure, Rousseau, Blanc, Guérin, Henry, Roussel, Perrin, Morin, Clément, "
          "Gauthier, Dumont, Fontaine, Chevalier, Robin, Masson, Gérard, Boyer, Lemaire, Duval, "
          "Joly, Noël, Meunier, Marchand, Dufour, Blanchard, Barbier, Brun, Dumas, Brunet, "
          "Leroux, Colin, Renard, Arnaud, Caron, Aubert, Giraud, Leclerc, Vidal, Bourgeois, "
          "Lemoine, Picard, Gaillard, Lacroix, Fabre, Dupuis, Rivière, Le Gall, Ménard, "
          "Fleury, Deschamps, Carpentier, Prévost, Poirier, Charpentier, Huet, Carré, Rémy"),
    titles=(("Responsable des achats", "Responsable des achats"),
            ("Directeur général", "Directrice générale"), ("Acheteur", "Acheteuse"),
            ("Gérant", "Gérante"), ("Chef de projet", "Cheffe de projet"),
            ("Concepteur lumière", "Conceptrice lumière"),
            ("Directeur technique", "Directrice technique")),
)  # fmt: skip

DUTCH = Culture(
    "dutch", "nl",
    latin("Jan, Pieter, Kees, Joost, Bas, Ruud, Sander, Thijs, Daan, Lars, Bram, Maarten, "
          "Wouter, Jeroen, Koen, Stijn, Geert, Dirk, Sven, Tom, Wim"),
    latin("Sanne, Femke, Anouk, Lotte, Eva, Marieke, Ingrid, Esther, Saskia, Inge, Annelies, "
          "Mirjam, Els, Lieve, Fleur, Noor, Sofie, Hanne"),
    latin("de Jong, Jansen, de Vries, van den Berg, van Dijk, Bakker, Janssen, Visser, Smit, "
          "Meijer, de Boer, Mulder, de Groot, Bos, Vos, Peters, Hendriks, van Leeuwen, Dekker, "
          "Brouwer, de Wit, Dijkstra, Smits, de Graaf, van der Meer, van der Linden, Kok, "
          "de Haan, Vermeulen, van den Heuvel, van der Veen, van den Broek, de Bruijn, "
          "van der Heijden, Schouten, van Beek, Willems, van Vliet, Hoekstra, Maas, Verhoeven, "
          "Peeters, Janssens, Maes, Mertens, Claes, Goossens, Wouters, De Smet, Vandenberghe"),
    titles=(("Inkoper", "Inkoper"), ("Inkoopmanager", "Inkoopmanager"),
            ("Directeur", "Directeur"), ("Eigenaar", "Eigenaar"),
            ("Projectleider", "Projectleider"), ("Lichtontwerper", "Lichtontwerper")),
)  # fmt: skip

ITALIAN = Culture(
    "italian", "it",
    latin("Marco, Giuseppe, Giovanni, Antonio, Francesco, Luca, Alessandro, Andrea, Matteo, "
          "Stefano, Paolo, Roberto, Davide, Simone, Niccolò, Gianluca, Massimo, Fabrizio, "
          "Riccardo, Lorenzo"),
    latin("Giulia, Francesca, Chiara, Federica, Sara, Valentina, Alessia, Elena, Silvia, Laura, "
          "Martina, Elisa, Paola, Roberta, Ilaria, Beatrice"),
    latin("Rossi, Russo, Ferrari, Esposito, Bianchi, Romano, Colombo, Ricci, Marino, Greco, "
          "Bruno, Gallo, Conti, De Luca, Mancini, Costa, Giordano, Rizzo, Lombardi, Moretti, "
          "Barbieri, Fontana, Santoro, Mariani, Rinaldi, Caruso, Ferrara, Galli, Martini, "
          "Leone, Longo, Gentile, Martinelli, Vitale, Serra, Coppola, De Santis, D'Angelo, "
          "Marchetti, Parisi, Villa, Conte, Ferri, Fabbri, Marini, Grasso, Valentini, Sala, "
          "Gatti, Pellegrini, Farina, Rizzi, Monti, Cattaneo, Morelli, Amato, Silvestri, "
          "Testa, Benedetti, Barone, Caputo, Montanari, Guerra, Bernardi, Fiore, Bellini"),
    titles=(("Responsabile acquisti", "Responsabile acquisti"),
            ("Amministratore delegato", "Amministratrice delegata"), ("Titolare", "Titolare"),
            ("Direttore commerciale", "Direttrice commerciale"),
            ("Progettista illuminotecnico", "Progettista illuminotecnica")),
)  # fmt: skip

ENGLISH = Culture(
    "english", "en",
    latin("James, John, Robert, Michael, David, William, Richard, Joseph, Thomas, Christopher, "
          "Daniel, Matthew, Mark, Steven, Paul, Andrew, Brian, Kevin, Jason, Ryan, Gary, Scott, "
          "Jonathan, Greg, Tyler, Nathan, Liam, Oliver, Ben, Harry"),
    latin("Mary, Jennifer, Linda, Elizabeth, Susan, Jessica, Sarah, Karen, Emily, Ashley, "
          "Amanda, Melissa, Rebecca, Laura, Rachel, Megan, Hannah, Olivia, Emma, Claire, "
          "Charlotte, Lucy, Kate, Nicola, Heather, Amy"),
    latin("Smith, Johnson, Williams, Brown, Jones, Miller, Davis, Wilson, Anderson, Taylor, "
          "Moore, Jackson, Thompson, White, Harris, Clark, Lewis, Robinson, Walker, Young, Allen, "
          "King, Wright, Scott, Green, Baker, Adams, Nelson, Hill, Campbell, Mitchell, Roberts, "
          "Carter, Phillips, Evans, Turner, Parker, Collins, Edwards, Stewart, Morris, Murphy, "
          "Cook, Rogers, Morgan, Cooper, Peterson, Bailey, Reed, Kelly, Howard, Ward, Watson, "
          "Brooks, Wood, Bennett, Gray, Hughes, Price, Sanders, Myers, Ross, Foster, Davies, "
          "Fletcher, Holmes, Palmer, Hayes, Marshall, Ellis, Harrison, Gibson, McDonald"),
)  # fmt: skip

IRISH = Culture(
    "irish", "en",
    latin("Seán, Ciarán, Darragh, Conor, Padraig, Eoin, Cian, Declan, Brendan, Niall, Aidan"),
    latin("Siobhán, Niamh, Aoife, Róisín, Orla, Sinéad, Caoimhe, Gráinne, Clodagh, Aisling"),
    latin("Murphy, Kelly, O'Sullivan, Walsh, Byrne, Ryan, O'Connor, O'Brien, McCarthy, Doyle, "
          "O'Neill, Kennedy, Lynch, Murray, Quinn, Moore, McLoughlin, Fitzgerald, Brennan"),
)  # fmt: skip

POLISH = Culture(
    "polish", "pl",
    latin("Piotr, Krzysztof, Andrzej, Tomasz, Paweł, Michał, Marcin, Grzegorz, Łukasz, Jakub, "
          "Wojciech, Mariusz, Dariusz, Rafał, Kamil"),
    latin("Anna, Małgorzata, Agnieszka, Katarzyna, Joanna, Magdalena, Monika, Ewa, Beata, "
          "Aleksandra, Justyna, Żaneta, Dorota"),
    latin("Kowalski, Nowak, Wiśniewski, Wójcik, Kowalczyk, Kamiński, Lewandowski, Zieliński, "
          "Szymański, Woźniak, Dąbrowski, Kozłowski, Jankowski, Mazur, Krawczyk, Piotrowski, "
          "Grabowski, Pawłowski, Michalski, Król, Wieczorek, Jabłoński, Nowicki, Majewski"),
    female_family=polish_female,
    titles=(("Kierownik działu zakupów", "Kierownik działu zakupów"),
            ("Prezes Zarządu", "Prezes Zarządu"), ("Właściciel", "Właścicielka"),
            ("Specjalista ds. zakupów", "Specjalistka ds. zakupów")),
)  # fmt: skip

CZECH = Culture(
    "czech", "cs",
    latin("Jan, Petr, Josef, Pavel, Martin, Tomáš, Jaroslav, Miroslav, Zdeněk, Lukáš, Jiří"),
    latin("Jana, Marie, Eva, Hana, Lenka, Kateřina, Lucie, Věra, Petra, Tereza, Markéta"),
    latin("Novák, Svoboda, Novotný, Dvořák, Černý, Procházka, Kučera, Veselý, Horák, Němec, "
          "Marek, Pospíšil, Hájek, Jelínek, Král, Růžička, Beneš, Fiala, Sedláček, Doležal"),
    female_family=czech_female,
    titles=(("Nákupčí", "Nákupčí"), ("Jednatel", "Jednatelka"), ("Ředitel", "Ředitelka")),
)  # fmt: skip

SWEDISH = Culture(
    "swedish", "sv",
    latin("Lars, Anders, Johan, Per, Erik, Karl, Mikael, Magnus, Björn, Fredrik, Oskar"),
    latin("Anna, Eva, Maria, Karin, Kristina, Lena, Sara, Åsa, Ingrid, Linnéa, Maja"),
    latin("Andersson, Johansson, Karlsson, Nilsson, Eriksson, Larsson, Olsson, Persson, "
          "Svensson, Gustafsson, Lindberg, Lindström, Bergström, Sjöberg, Åberg, Ek, Holm"),
    titles=(("Inköpschef", "Inköpschef"), ("VD", "VD"), ("Projektledare", "Projektledare")),
)  # fmt: skip

NORWEGIAN = Culture(
    "norwegian", "nb",
    latin("Ole, Lars, Jan, Per, Bjørn, Kjetil, Morten, Knut, Espen, Håkon, Sindre"),
    latin("Anne, Inger, Kari, Marit, Ingrid, Liv, Solveig, Silje, Ragnhild, Tone"),
    latin("Hansen, Johansen, Olsen, Larsen, Andersen, Pedersen, Nilsen, Kristiansen, Jensen, "
          "Karlsen, Johnsen, Haugen, Berg, Dahl, Lunde, Solberg, Bakke, Strand, Nygård, Økland"),
    titles=(("Innkjøpssjef", "Innkjøpssjef"), ("Daglig leder", "Daglig leder")),
)  # fmt: skip

DANISH = Culture(
    "danish", "da",
    latin("Jens, Søren, Niels, Mads, Rasmus, Henrik, Anders, Mikkel, Jesper, Thomas, Frederik"),
    latin("Mette, Hanne, Pia, Lene, Camilla, Louise, Maria, Sofie, Signe, Birgitte"),
    latin("Nielsen, Jensen, Hansen, Pedersen, Andersen, Christensen, Larsen, Sørensen, "
          "Rasmussen, Jørgensen, Petersen, Madsen, Kristensen, Olsen, Thomsen, Møller, Poulsen"),
    titles=(("Indkøbschef", "Indkøbschef"), ("Direktør", "Direktør")),
)  # fmt: skip

FINNISH = Culture(
    "finnish", "fi",
    latin("Juha, Mikko, Timo, Jari, Antti, Ville, Matti, Kari, Janne, Petri, Jukka"),
    latin("Anne, Päivi, Tiina, Sanna, Johanna, Maria, Hanna, Minna, Laura, Katja, Sari"),
    latin("Korhonen, Virtanen, Mäkinen, Nieminen, Mäkelä, Hämäläinen, Laine, Heikkinen, "
          "Koskinen, Järvinen, Lehtonen, Lehtinen, Saarinen, Salminen, Heinonen, Niemi"),
    titles=(("Ostopäällikkö", "Ostopäällikkö"), ("Toimitusjohtaja", "Toimitusjohtaja")),
)  # fmt: skip

_GREEK_FAMILY_FEMALE = dict(
    pairs("Παπαδοπούλου:Papadopoulou, Παπαδάκη:Papadaki, Γεωργίου:Georgiou, "
          "Νικολάου:Nikolaou, Οικονόμου:Oikonomou, Βασιλείου:Vasileiou, Παππά:Pappa, "
          "Μακρή:Makri, Αντωνίου:Antoniou, Δημητρίου:Dimitriou")
)  # fmt: skip
_GREEK_FAMILY = pairs(
    "Παπαδόπουλος:Papadopoulos, Παπαδάκης:Papadakis, Γεωργίου:Georgiou, Νικολάου:Nikolaou, "
    "Οικονόμου:Oikonomou, Βασιλείου:Vasileiou, Παππάς:Pappas, Μακρής:Makris, "
    "Αντωνίου:Antoniou, Δημητρίου:Dimitriou"
)
_GREEK_PAIRS = dict(zip(_GREEK_FAMILY, _GREEK_FAMILY_FEMALE.items(), strict=True))

GREEK = Culture(
    "greek", "el",
    pairs("Γιώργος:Giorgos, Δημήτρης:Dimitris, Κωνσταντίνος:Konstantinos, Νίκος:Nikos, "
          "Γιάννης:Giannis, Παναγιώτης:Panagiotis, Χρήστος:Christos, Αλέξανδρος:Alexandros"),
    pairs("Μαρία:Maria, Ελένη:Eleni, Κατερίνα:Katerina, Βασιλική:Vasiliki, Σοφία:Sofia, "
          "Αγγελική:Angeliki, Δήμητρα:Dimitra"),
    _GREEK_FAMILY,
    native_share=0.5,
    female_family=lambda name: _GREEK_PAIRS[name],
    titles=(("Διευθυντής Προμηθειών", "Διευθύντρια Προμηθειών"),
            ("Γενικός Διευθυντής", "Γενική Διευθύντρια")),
)  # fmt: skip

ROMANIAN = Culture(
    "romanian", "ro",
    latin("Andrei, Alexandru, Mihai, Ionuț, Cristian, Adrian, Florin, Bogdan, Răzvan, Ștefan"),
    latin("Maria, Elena, Ioana, Andreea, Alexandra, Mihaela, Cristina, Raluca, Oana, Simona"),
    latin("Popescu, Ionescu, Popa, Pop, Radu, Dumitru, Stan, Stoica, Gheorghe, Matei, Ciobanu, "
          "Constantin, Munteanu, Dinu, Toma, Marin, Lungu, Moldovan, Neagu, Tănase"),
    titles=(("Director Achiziții", "Director Achiziții"),
            ("Director General", "Director General")),
)  # fmt: skip

HUNGARIAN = Culture(
    "hungarian", "hu",
    latin("László, István, József, János, Zoltán, Sándor, Gábor, Péter, Attila, Tamás, Balázs"),
    latin("Mária, Erzsébet, Katalin, Éva, Ildikó, Krisztina, Andrea, Zsuzsanna, Anikó, Réka"),
    latin("Nagy, Kovács, Tóth, Szabó, Horváth, Varga, Kiss, Molnár, Németh, Farkas, Balogh, "
          "Papp, Takács, Juhász, Lakatos, Mészáros, Oláh, Simon, Rácz, Fekete"),
    style="hungarian",
    titles=(("Beszerzési vezető", "Beszerzési vezető"),
            ("Ügyvezető igazgató", "Ügyvezető igazgató")),
)  # fmt: skip

TURKISH = Culture(
    "turkish", "tr",
    latin("Mehmet, Mustafa, Ahmet, Ali, Hüseyin, Hasan, İbrahim, İsmail, Murat, Emre, Burak, "
          "Serkan, Oğuz, Çağlar, Gökhan"),
    latin("Ayşe, Fatma, Emine, Hatice, Zeynep, Elif, Merve, Özlem, Gülşen, Şule, Büşra, Ebru"),
    latin("Yılmaz, Kaya, Demir, Şahin, Çelik, Yıldız, Yıldırım, Öztürk, Aydın, Özdemir, "
          "Arslan, Doğan, Kılıç, Aslan, Çetin, Kara, Koç, Kurt, Özkan, Şimşek, Polat, Erdoğan"),
    titles=(("Satın Alma Müdürü", "Satın Alma Müdürü"), ("Genel Müdür", "Genel Müdür"),
            ("Proje Müdürü", "Proje Müdürü"), ("Firma Sahibi", "Firma Sahibi")),
)  # fmt: skip

RUSSIAN = Culture(
    "russian", "ru",
    pairs("Алексей:Aleksey, Дмитрий:Dmitry, Сергей:Sergey, Андрей:Andrey, Михаил:Mikhail, "
          "Иван:Ivan, Николай:Nikolay, Владимир:Vladimir, Максим:Maksim, Артём:Artyom, "
          "Евгений:Evgeny, Игорь:Igor"),
    pairs("Елена:Elena, Ольга:Olga, Наталья:Natalya, Татьяна:Tatyana, Ирина:Irina, "
          "Анна:Anna, Светлана:Svetlana, Мария:Maria, Юлия:Yulia, Екатерина:Ekaterina"),
    pairs("Иванов:Ivanov, Смирнов:Smirnov, Кузнецов:Kuznetsov, Попов:Popov, Васильев:Vasiliev, "
          "Петров:Petrov, Соколов:Sokolov, Михайлов:Mikhailov, Новиков:Novikov, "
          "Фёдоров:Fedorov, Морозов:Morozov, Волков:Volkov, Алексеев:Alekseev, "
          "Лебедев:Lebedev, Семёнов:Semenov, Егоров:Egorov, Павлов:Pavlov, Козлов:Kozlov, "
          "Степанов:Stepanov, Никитин:Nikitin, Орлов:Orlov, Захаров:Zakharov"),
    native_share=0.75,
    female_family=slavic_female,
    titles=(("Менеджер по закупкам", "Менеджер по закупкам"),
            ("Генеральный директор", "Генеральный директор"),
            ("Руководитель отдела закупок", "Руководитель отдела закупок"),
            ("Коммерческий директор", "Коммерческий директор")),
)  # fmt: skip

UKRAINIAN = Culture(
    "ukrainian", "uk",
    pairs("Олександр:Oleksandr, Андрій:Andriy, Сергій:Serhiy, Дмитро:Dmytro, Тарас:Taras, "
          "Віталій:Vitaliy, Богдан:Bohdan, Юрій:Yuriy, Олег:Oleh"),
    pairs("Олена:Olena, Наталія:Nataliia, Ірина:Iryna, Оксана:Oksana, Юлія:Yuliia, "
          "Тетяна:Tetiana, Світлана:Svitlana, Марина:Maryna"),
    pairs("Шевченко:Shevchenko, Коваленко:Kovalenko, Бондаренко:Bondarenko, "
          "Ткаченко:Tkachenko, Кравченко:Kravchenko, Олійник:Oliinyk, Шевчук:Shevchuk, "
          "Поліщук:Polishchuk, Мельник:Melnyk, Бойко:Boiko, Савченко:Savchenko, "
          "Руденко:Rudenko, Мороз:Moroz, Лисенко:Lysenko"),
    native_share=0.7,
    titles=(("Менеджер із закупівель", "Менеджерка із закупівель"),
            ("Директор", "Директорка")),
)  # fmt: skip

CULTURES = (
    GERMAN, FRENCH, DUTCH, ITALIAN, ENGLISH, IRISH, POLISH, CZECH, SWEDISH, NORWEGIAN, DANISH,
    FINNISH, GREEK, ROMANIAN, HUNGARIAN, TURKISH, RUSSIAN, UKRAINIAN,
)  # fmt: skip
