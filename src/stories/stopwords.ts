// Function words and reporting verbs (English, and the commonest of Filipino, which Philippine outlets mix into
// English feeds): they say nothing about which event a text reports.
const WORDS = `a about above after again against all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have having he her here
hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on
once only or other our ours ourselves out over own same she should so some such than that the their theirs them
themselves then there these they this those through to too under until up very was we were what when where which while
who whom why will with would you your yours yourself yourselves s t don dont doesnt didnt isnt wasnt arent werent wont
cant couldnt shouldnt wouldnt hasnt havent hadnt im ive id youre theyre weve thats whats its lets
says said say saying told tells tell according reportedly reports report reported
new news via amid among get gets got make makes made may might must shall us per yet still even ever
mr mrs ms dr st de la le el al del der die das von van
ang ng sa na mga at ay si ni kay ko mo niya nila namin natin ito iyan iyon para pero kung dahil raw daw po ba pa lang din rin`;

/** Stop words (lowercase, unstemmed). */
export const STOP_WORDS: ReadonlySet<string> = new Set(WORDS.split(/\s+/).filter(Boolean));
