//! Stop words for the languages with built-in interface text besides English (whose list is in
//! `tokenize.rs`): the short function words a query is unlikely to mean, whose postings would
//! otherwise be the largest files of the index. Folded like any word and sorted, for binary search.

pub(super) const GERMAN: &[&str] = &[
    "aber", "alle", "allem", "allen", "aller", "alles", "als", "also", "am", "an", "ander",
    "andere", "anderem", "anderen", "anderer", "anderes", "auch", "auf", "aus", "bei", "bin",
    "bis", "bist", "da", "damit", "dann", "das", "dass", "dein", "deine", "dem", "den", "denn",
    "der", "des", "dessen", "dich", "die", "dies", "diese", "diesem", "diesen", "dieser", "dieses",
    "dir", "doch", "dort", "du", "durch", "ein", "eine", "einem", "einen", "einer", "eines", "er",
    "es", "etwas", "euch", "euer", "eure", "fur", "gegen", "hat", "hatte", "hatten", "hier", "hin",
    "hinter", "ich", "ihm", "ihn", "ihnen", "ihr", "ihre", "ihrem", "ihren", "ihrer", "im", "in",
    "ins", "ist", "ja", "jede", "jedem", "jeden", "jeder", "jedes", "jene", "jenem", "jenen",
    "jener", "jenes", "kann", "kein", "keine", "keinem", "keinen", "keiner", "konnen", "konnte",
    "man", "manche", "mein", "meine", "mich", "mir", "mit", "muss", "musste", "nach", "nicht",
    "nichts", "noch", "nun", "nur", "ob", "oder", "ohne", "sehr", "sein", "seine", "seinem",
    "seinen", "seiner", "sich", "sie", "sind", "so", "solche", "soll", "sollte", "sondern",
    "sonst", "uber", "um", "und", "uns", "unser", "unter", "viel", "vom", "von", "vor", "war",
    "waren", "was", "weil", "welche", "welchem", "welchen", "welcher", "welches", "wenn", "wer",
    "werde", "werden", "wie", "wieder", "will", "wir", "wird", "wo", "wollen", "wurde", "zu",
    "zum", "zur", "zwar", "zwischen",
];

pub(super) const FRENCH: &[&str] = &[
    "a", "afin", "ai", "aie", "aient", "ainsi", "alors", "au", "aucun", "aussi", "autre", "aux",
    "avaient", "avait", "avec", "avez", "avoir", "avons", "c", "ca", "ce", "ceci", "cela", "celle",
    "celles", "celui", "ces", "cet", "cette", "ceux", "chaque", "ci", "comme", "comment", "d",
    "dans", "de", "des", "donc", "dont", "du", "elle", "elles", "en", "encore", "entre", "es",
    "est", "et", "etaient", "etait", "ete", "etre", "eu", "eux", "fait", "fut", "il", "ils", "j",
    "je", "l", "la", "le", "les", "leur", "leurs", "lui", "m", "ma", "mais", "me", "meme", "mes",
    "moi", "mon", "n", "ne", "ni", "nos", "notre", "nous", "on", "ont", "or", "ou", "par", "parce",
    "pas", "peu", "peut", "plus", "pour", "pourquoi", "qu", "quand", "que", "quel", "quelle",
    "quelles", "quels", "qui", "s", "sa", "sans", "se", "sera", "ses", "si", "son", "sont", "sous",
    "sur", "ta", "te", "tes", "toi", "ton", "tous", "tout", "toute", "toutes", "tres", "tu", "un",
    "une", "vos", "votre", "vous", "y",
];

pub(super) const SPANISH: &[&str] = &[
    "a", "al", "algo", "algunas", "algunos", "ante", "antes", "como", "con", "contra", "cual",
    "cuando", "de", "del", "desde", "donde", "durante", "e", "el", "ella", "ellas", "ellos", "en",
    "entre", "era", "eran", "es", "esa", "esas", "ese", "eso", "esos", "esta", "estan", "estas",
    "este", "esto", "estos", "fue", "fueron", "ha", "han", "hasta", "hay", "la", "las", "le",
    "les", "lo", "los", "mas", "me", "mi", "mis", "mucho", "muy", "nada", "ni", "no", "nos",
    "nosotros", "o", "os", "otra", "otras", "otro", "otros", "para", "pero", "poco", "por",
    "porque", "que", "quien", "se", "sea", "ser", "si", "sin", "sino", "sobre", "son", "su", "sus",
    "tambien", "tanto", "te", "ti", "tiene", "tienen", "todo", "todos", "tu", "tus", "un", "una",
    "uno", "unos", "y", "ya", "yo",
];

pub(super) const DUTCH: &[&str] = &[
    "aan", "al", "alles", "als", "altijd", "andere", "ben", "bij", "daar", "dan", "dat", "de",
    "der", "deze", "die", "dit", "doch", "doen", "door", "dus", "een", "eens", "en", "er", "ge",
    "geen", "geweest", "haar", "had", "heb", "hebben", "heeft", "hem", "het", "hier", "hij", "hoe",
    "hun", "iemand", "iets", "ik", "in", "is", "ja", "je", "kan", "kon", "kunnen", "maar", "me",
    "meer", "men", "met", "mij", "mijn", "moet", "na", "naar", "niet", "niets", "nog", "nu", "of",
    "om", "omdat", "onder", "ons", "ook", "op", "over", "reeds", "te", "tegen", "toch", "toen",
    "tot", "u", "uit", "uw", "van", "veel", "voor", "want", "waren", "was", "wat", "we", "wel",
    "werd", "wezen", "wie", "wij", "wil", "worden", "wordt", "zal", "ze", "zelf", "zich", "zij",
    "zijn", "zo", "zonder", "zou",
];
