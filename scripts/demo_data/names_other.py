"""Naming cultures of the Spanish- and Portuguese-speaking world, the Arab world and Africa."""

from __future__ import annotations

from .culture import Culture, latin, pairs

SPANISH = Culture(
    "spanish", "es",
    latin("José, Juan Carlos, Francisco Javier, Manuel, Antonio, Alejandro, Pablo, Javier, "
          "Sergio, Carlos, Miguel Ángel, Jorge, Raúl, Álvaro, Íñigo, Luis Fernando, Diego, "
          "Andrés, Fernando, Ricardo, Eduardo, Jesús, Óscar, Rubén, Gonzalo, Héctor"),
    latin("María José, Carmen, Lucía, Laura, Marta, Elena, Ana Belén, Cristina, Pilar, Sara, "
          "Nuria, Begoña, Inmaculada, Guadalupe, Fernanda, Ximena, Ana Sofía, Valentina, "
          "Daniela, Paola, Mariana, Gabriela, Rocío, Mónica, Verónica"),
    latin("García, Martínez, López, Sánchez, González, Rodríguez, Fernández, Pérez, Gómez, "
          "Martín, Jiménez, Ruiz, Hernández, Díaz, Moreno, Muñoz, Álvarez, Romero, Navarro, "
          "Torres, Domínguez, Vázquez, Ramos, Gil, Serrano, Blanco, Castro, Ortega, Rubio, "
          "Núñez, Sanz, Iglesias, Medina, Garrido, Cortés, Castillo, Santos, Lozano, Guerrero, "
          "Cano, Prieto, Méndez, Cruz, Calvo, Gallego, Vidal, León, Márquez, Herrera, Peña, "
          "Flores, Cabrera, Campos, Vega, Fuentes, Carrasco, Reyes, Aguilar, Ibáñez, Ferrer, "
          "Benítez, Mora, Vargas, Soler, Rojas, Ríos, Mendoza, Chávez, Gutiérrez, Ramírez, "
          "Morales, Juárez, Guzmán, Salazar, Quintero, Zapata, Cárdenas, Echeverría, "
          "Urrutia, Ordóñez, Villalobos, Arriaga, Bustamante, Carrillo, Espinoza, Acosta"),
    style="spanish",
    titles=(("Jefe de Compras", "Jefa de Compras"), ("Director General", "Directora General"),
            ("Gerente de Compras", "Gerente de Compras"),
            ("Responsable de Compras", "Responsable de Compras"),
            ("Director Comercial", "Directora Comercial"),
            ("Gerente de Proyectos", "Gerente de Proyectos"), ("Propietario", "Propietaria"),
            ("Ingeniero de Iluminación", "Ingeniera de Iluminación")),
)  # fmt: skip

PORTUGUESE = Culture(
    "portuguese", "pt",
    latin("João, José, António, Carlos Eduardo, Luiz Henrique, Thiago, Rafael, Bruno, Pedro, "
          "Rodrigo, Marcelo, Gustavo, Paulo, Ricardo, Fábio, Nuno, Rui, Tiago, Vítor, Gonçalo"),
    latin("Ana Paula, Maria, Fernanda, Juliana, Gabriela, Camila, Patrícia, Aline, Beatriz, "
          "Luísa, Mariana, Inês, Joana, Sofia, Catarina, Cláudia, Simone, Vanessa"),
    latin("Silva, Santos, Oliveira, Souza, Rodrigues, Ferreira, Alves, Pereira, Lima, Gomes, "
          "Costa, Ribeiro, Martins, Carvalho, Almeida, Lopes, Soares, Fernandes, Vieira, "
          "Barbosa, Rocha, Dias, Nascimento, Andrade, Moreira, Nunes, Marques, Machado, Mendes, "
          "Freitas, Cardoso, Ramos, Gonçalves, Teixeira, Correia, Pinto, Araújo, Magalhães"),
    style="portuguese",
    titles=(("Gerente de Compras", "Gerente de Compras"), ("Diretor Comercial", "Diretora Comercial"),
            ("Comprador", "Compradora"), ("Sócio-Diretor", "Sócia-Diretora"),
            ("Engenheiro Eletricista", "Engenheira Eletricista")),
)  # fmt: skip

_AR_MALE = pairs(
    "محمد:Mohammed, أحمد:Ahmed, عبدالله:Abdullah, خالد:Khalid, سعود:Saud, فهد:Fahad, "
    "سلطان:Sultan, راشد:Rashid, ماجد:Majid, يوسف:Yousef, عمر:Omar, علي:Ali, حمد:Hamad, "
    "ناصر:Nasser, طارق:Tariq"
)
_AR_FEMALE = pairs(
    "فاطمة:Fatima, نورة:Noura, مريم:Maryam, ريم:Reem, سارة:Sara, هدى:Huda, لطيفة:Latifa, "
    "عائشة:Aisha, منى:Mona"
)
_AR_TITLES = (("مدير المشتريات", "مديرة المشتريات"), ("المدير العام", "المديرة العامة"),
              ("مدير المشاريع", "مديرة المشاريع"))  # fmt: skip

ARABIC_GULF = Culture(
    "arabic_gulf", "ar", _AR_MALE, _AR_FEMALE,
    pairs("العتيبي:Al-Otaibi, القحطاني:Al-Qahtani, الشمري:Al-Shammari, الحربي:Al-Harbi, "
          "الدوسري:Al-Dosari, الغامدي:Al-Ghamdi, الزهراني:Al-Zahrani, المطيري:Al-Mutairi, "
          "المنصوري:Al-Mansouri, الكعبي:Al-Kaabi, النعيمي:Al-Nuaimi, الهاشمي:Al-Hashimi, "
          "الفلاسي:Al-Falasi, الشامسي:Al-Shamsi, الكواري:Al-Kuwari, المري:Al-Marri, "
          "العنزي:Al-Anazi, البلوشي:Al-Balushi, الرشيدي:Al-Rashidi, السويدي:Al-Suwaidi"),
    native_share=0.45, titles=_AR_TITLES,
)  # fmt: skip

ARABIC_LEVANT = Culture(
    "arabic_levant", "ar",
    _AR_MALE + pairs("محمود:Mahmoud, شريف:Sherif, كريم:Karim, هشام:Hisham, وائل:Wael"),
    _AR_FEMALE + pairs("دينا:Dina, ياسمين:Yasmine, رانيا:Rania, هبة:Heba"),
    pairs("حسن:Hassan, إبراهيم:Ibrahim, مصطفى:Mostafa, عبدالرحمن:Abdelrahman, السيد:El-Sayed, "
          "فاروق:Farouk, سالم:Salem, منصور:Mansour, نصر:Nasr, رمضان:Ramadan, الخطيب:Al-Khatib, "
          "حداد:Haddad, النابلسي:Al-Nabulsi, عبيدات:Obeidat, المصري:Al-Masri, الزعبي:Al-Zoubi, "
          "خوري:Khoury, عثمان:Osman"),
    native_share=0.4, titles=_AR_TITLES,
)  # fmt: skip

MAGHREB = Culture(
    "maghreb", "fr",
    latin("Youssef, Mohamed, Karim, Hicham, Rachid, Nabil, Mehdi, Amine, Said, Omar"),
    latin("Fatima-Zahra, Khadija, Salma, Imane, Meryem, Nadia, Houda, Samira, Zineb"),
    latin("El Amrani, Benali, Alaoui, El Idrissi, Bennani, Tazi, Berrada, Chraibi, Ouazzani, "
          "El Fassi, Benjelloun, Lahlou, Bouzidi, Haddad, Mansouri"),
)  # fmt: skip

NIGERIAN = Culture(
    "nigerian", "en",
    latin("Chinedu, Emeka, Oluwaseun, Tunde, Ibrahim, Abubakar, Chukwuemeka, Femi, Segun"),
    latin("Ngozi, Adaeze, Funmilayo, Chiamaka, Aisha, Folake, Blessing, Yetunde, Amaka"),
    latin("Okafor, Adeyemi, Okonkwo, Eze, Bello, Adebayo, Nwosu, Obi, Balogun, Ogunleye, "
          "Abubakar, Ibrahim, Okoro, Adeleke, Nnamdi"),
)  # fmt: skip

KENYAN = Culture(
    "kenyan", "en",
    latin("John, Peter, James, Brian, Kevin, Joseph, David, Samuel, Dennis, Collins"),
    latin("Mary, Grace, Faith, Mercy, Wanjiru, Achieng, Esther, Caroline, Joyce"),
    latin("Kamau, Otieno, Mwangi, Odhiambo, Wanjiku, Njoroge, Kiprop, Cheruiyot, Mutua, "
          "Ochieng, Kariuki, Wafula, Kimani"),
)  # fmt: skip

SOUTH_AFRICAN = Culture(
    "south_african", "en",
    latin("Johan, Pieter, Thabo, Sipho, Riaan, Jaco, Mandla, Themba, Willem, Craig, Ruan"),
    latin("Lerato, Nomvula, Anika, Zanele, Thandi, Marike, Michelle, Nadia, Busisiwe"),
    latin("van der Merwe, Botha, Nel, Pretorius, Nkosi, Dlamini, Naidoo, Mokoena, Ndlovu, "
          "Coetzee, du Plessis, Khumalo, Venter, Smit, Govender"),
)  # fmt: skip

CULTURES = (
    SPANISH, PORTUGUESE, ARABIC_GULF, ARABIC_LEVANT, MAGHREB, NIGERIAN, KENYAN, SOUTH_AFRICAN,
)  # fmt: skip
