/* LCAMP Pathways chat widget: one self-contained file, no dependencies, no external requests.
 * Embed: <script src="https://host/widget.js" data-lang="es" data-api="https://host"></script>
 * It defines <lcamp-pathways> (open Shadow DOM) and appends one instance to document.body. */
(function () {
  "use strict";

  var TAG = "lcamp-pathways";
  var STORE_KEY = "lcamp-pathways:v1";
  var LANGS = ["en", "es", "fr", "it", "tr", "sl"];
  var LANG_NAMES = { en: "English", es: "Español", fr: "Français", it: "Italiano", tr: "Türkçe", sl: "Slovenščina" };
  var ACCEPT = ".pdf,.docx,.txt,.xml,.json,.jsonld";
  var MAX_UPLOAD = 10 * 1024 * 1024;
  var MAX_TRANSCRIPT = 400;

  /* ---------- UI strings, one dict per language ---------- */
  var STRINGS = {
    en: {
      title: "LCAMP Pathways", subtitle: "Career guide · advanced manufacturing",
      open: "Open the LCAMP Pathways career guide", close: "Close the chat", dialog: "LCAMP Pathways career guide",
      log: "Conversation", choices: "Your choices", inputLabel: "Your message", placeholder: "Type your reply…",
      send: "Send", back: "Back", help: "Help", startOver: "Start over", startOverConfirm: "Erase all and start over?",
      upload: "Upload CV", uploadLabel: "Upload a CV or credential (PDF, Word, text, Europass XML, JSON-LD)",
      uploading: "Uploading…", language: "Language", step: "Step {k} of {n}: {name}",
      confirm: "Confirm", reject: "None of these", addArea: "Add another area", addSkill: "Add a skill", add: "Add",
      placeholderArea: "e.g. welding", placeholderSkill: "e.g. PLC programming",
      levels: "Proficiency levels", selected: "Selected: {name} — {descriptor}", saveLevels: "Save my levels",
      submitQuiz: "Submit answers", rateAll: "Please choose a level for every skill.",
      answerAll: "Please answer every question.", pickOne: "Choose at least one area, or add one.",
      eqf: "EQF", match: "{n}% match", satisfied: "{n} satisfied", below: "{n} below level", missing: "{n} missing",
      choose: "Choose", chooseAria: "Choose {name}", yourSkills: "Your skills for this job",
      gapLevel: "level {a} → {b}", essential: "essential", optional: "optional", planPathway: "Plan my learning pathway",
      ects: "{n} ECTS", hours: "{n} h", mode_online: "online", "mode_in-person": "in person", mode_hybrid: "hybrid",
      closes: "Closes: {list}", illustrative: "Illustrative catalogue: the courses and providers are invented.",
      total: "Total: {ects} ECTS, {hours} hours", savePathway: "Save this pathway", next: "Continue",
      markCompleted: "Mark completed", markAria: "Mark {name} as completed", completed: "Completed",
      exportJsonld: "Download (ELM JSON-LD)", exportHtml: "Printable report", targetJob: "Target job: {name}",
      pathwayTitle: "Your learning pathway", network: "Connection problem. Check your network and try again.",
      generic: "Something went wrong. Please try again.", rateLimited: "Too many requests. Please wait {s} seconds and try again.",
      tooLarge: "This file is too large (maximum 10 MB).",
      unsupported: "This file type is not supported. Use PDF, Word, text, Europass XML or JSON-LD.",
      sessionLost: "Your previous conversation has ended, so a new one has started.",
      thinking: "The guide is typing…", you: "You", guide: "Guide", fileSent: "File sent: {name}", empty: "Please type a message first."
    },
    es: {
      title: "LCAMP Pathways", subtitle: "Orientación profesional · fabricación avanzada",
      open: "Abrir el orientador profesional LCAMP Pathways", close: "Cerrar el chat", dialog: "Orientador profesional LCAMP Pathways",
      log: "Conversación", choices: "Tus opciones", inputLabel: "Tu mensaje", placeholder: "Escribe tu respuesta…",
      send: "Enviar", back: "Atrás", help: "Ayuda", startOver: "Empezar de nuevo", startOverConfirm: "¿Borrar todo y empezar de nuevo?",
      upload: "Subir CV", uploadLabel: "Subir un CV o una credencial (PDF, Word, texto, XML de Europass, JSON-LD)",
      uploading: "Subiendo…", language: "Idioma", step: "Paso {k} de {n}: {name}",
      confirm: "Confirmar", reject: "Ninguna de estas", addArea: "Añadir otra área", addSkill: "Añadir una competencia", add: "Añadir",
      placeholderArea: "p. ej., soldadura", placeholderSkill: "p. ej., programación de PLC",
      levels: "Niveles de dominio", selected: "Elegido: {name} — {descriptor}", saveLevels: "Guardar mis niveles",
      submitQuiz: "Enviar respuestas", rateAll: "Elige un nivel para cada competencia.",
      answerAll: "Responde a todas las preguntas.", pickOne: "Elige al menos un área o añade una.",
      eqf: "EQF", match: "{n} % de coincidencia", satisfied: "{n} cubiertas", below: "{n} por debajo del nivel", missing: "{n} que faltan",
      choose: "Elegir", chooseAria: "Elegir {name}", yourSkills: "Tus competencias para este empleo",
      gapLevel: "nivel {a} → {b}", essential: "esencial", optional: "opcional", planPathway: "Planificar mi itinerario formativo",
      ects: "{n} ECTS", hours: "{n} h", mode_online: "en línea", "mode_in-person": "presencial", mode_hybrid: "híbrido",
      closes: "Cubre: {list}", illustrative: "Catálogo ilustrativo: los cursos y los centros de formación son ficticios.",
      total: "Total: {ects} ECTS, {hours} horas", savePathway: "Guardar este itinerario", next: "Continuar",
      markCompleted: "Marcar como completada", markAria: "Marcar {name} como completada", completed: "Completada",
      exportJsonld: "Descargar (ELM JSON-LD)", exportHtml: "Informe para imprimir", targetJob: "Empleo objetivo: {name}",
      pathwayTitle: "Tu itinerario formativo", network: "Problema de conexión. Comprueba tu red e inténtalo de nuevo.",
      generic: "Algo ha fallado. Inténtalo de nuevo.", rateLimited: "Demasiadas solicitudes. Espera {s} segundos e inténtalo de nuevo.",
      tooLarge: "El archivo es demasiado grande (máximo 10 MB).",
      unsupported: "Este tipo de archivo no es compatible. Usa PDF, Word, texto, XML de Europass o JSON-LD.",
      sessionLost: "Tu conversación anterior ha terminado; hemos empezado una nueva.",
      thinking: "El orientador está escribiendo…", you: "Tú", guide: "Orientador", fileSent: "Archivo enviado: {name}", empty: "Escribe primero un mensaje."
    },
    fr: {
      title: "LCAMP Pathways", subtitle: "Orientation professionnelle · fabrication avancée",
      open: "Ouvrir le conseiller d'orientation LCAMP Pathways", close: "Fermer la discussion", dialog: "Conseiller d'orientation LCAMP Pathways",
      log: "Conversation", choices: "Vos choix", inputLabel: "Votre message", placeholder: "Écrivez votre réponse…",
      send: "Envoyer", back: "Retour", help: "Aide", startOver: "Recommencer", startOverConfirm: "Tout effacer et recommencer ?",
      upload: "Envoyer un CV", uploadLabel: "Envoyer un CV ou une certification (PDF, Word, texte, XML Europass, JSON-LD)",
      uploading: "Envoi en cours…", language: "Langue", step: "Étape {k} sur {n} : {name}",
      confirm: "Confirmer", reject: "Aucun de ceux-ci", addArea: "Ajouter un autre domaine", addSkill: "Ajouter une compétence", add: "Ajouter",
      placeholderArea: "p. ex. soudage", placeholderSkill: "p. ex. programmation d'automates",
      levels: "Niveaux de maîtrise", selected: "Choisi : {name} — {descriptor}", saveLevels: "Enregistrer mes niveaux",
      submitQuiz: "Envoyer mes réponses", rateAll: "Choisissez un niveau pour chaque compétence.",
      answerAll: "Répondez à toutes les questions.", pickOne: "Choisissez au moins un domaine ou ajoutez-en un.",
      eqf: "CEC", match: "{n} % de correspondance", satisfied: "{n} acquises", below: "{n} sous le niveau", missing: "{n} manquantes",
      choose: "Choisir", chooseAria: "Choisir {name}", yourSkills: "Vos compétences pour ce métier",
      gapLevel: "niveau {a} → {b}", essential: "essentielle", optional: "facultative", planPathway: "Planifier mon parcours de formation",
      ects: "{n} ECTS", hours: "{n} h", mode_online: "en ligne", "mode_in-person": "en présentiel", mode_hybrid: "hybride",
      closes: "Couvre : {list}", illustrative: "Catalogue illustratif : les formations et les organismes sont fictifs.",
      total: "Total : {ects} ECTS, {hours} heures", savePathway: "Enregistrer ce parcours", next: "Continuer",
      markCompleted: "Marquer comme terminée", markAria: "Marquer {name} comme terminée", completed: "Terminée",
      exportJsonld: "Télécharger (ELM JSON-LD)", exportHtml: "Rapport imprimable", targetJob: "Métier visé : {name}",
      pathwayTitle: "Votre parcours de formation", network: "Problème de connexion. Vérifiez votre réseau et réessayez.",
      generic: "Une erreur s'est produite. Veuillez réessayer.", rateLimited: "Trop de requêtes. Patientez {s} secondes puis réessayez.",
      tooLarge: "Ce fichier est trop volumineux (10 Mo maximum).",
      unsupported: "Ce type de fichier n'est pas pris en charge. Utilisez PDF, Word, texte, XML Europass ou JSON-LD.",
      sessionLost: "Votre conversation précédente est terminée ; une nouvelle a commencé.",
      thinking: "Le conseiller écrit…", you: "Vous", guide: "Conseiller", fileSent: "Fichier envoyé : {name}", empty: "Écrivez d'abord un message."
    },
    it: {
      title: "LCAMP Pathways", subtitle: "Orientamento professionale · manifattura avanzata",
      open: "Apri l'orientatore LCAMP Pathways", close: "Chiudi la chat", dialog: "Orientatore professionale LCAMP Pathways",
      log: "Conversazione", choices: "Le tue scelte", inputLabel: "Il tuo messaggio", placeholder: "Scrivi la tua risposta…",
      send: "Invia", back: "Indietro", help: "Aiuto", startOver: "Ricomincia", startOverConfirm: "Cancellare tutto e ricominciare?",
      upload: "Carica CV", uploadLabel: "Carica un CV o una credenziale (PDF, Word, testo, XML Europass, JSON-LD)",
      uploading: "Caricamento…", language: "Lingua", step: "Passo {k} di {n}: {name}",
      confirm: "Conferma", reject: "Nessuna di queste", addArea: "Aggiungi un'altra area", addSkill: "Aggiungi una competenza", add: "Aggiungi",
      placeholderArea: "es. saldatura", placeholderSkill: "es. programmazione PLC",
      levels: "Livelli di padronanza", selected: "Scelto: {name} — {descriptor}", saveLevels: "Salva i miei livelli",
      submitQuiz: "Invia le risposte", rateAll: "Scegli un livello per ogni competenza.",
      answerAll: "Rispondi a tutte le domande.", pickOne: "Scegli almeno un'area o aggiungine una.",
      eqf: "EQF", match: "{n}% di corrispondenza", satisfied: "{n} soddisfatte", below: "{n} sotto il livello", missing: "{n} mancanti",
      choose: "Scegli", chooseAria: "Scegli {name}", yourSkills: "Le tue competenze per questo lavoro",
      gapLevel: "livello {a} → {b}", essential: "essenziale", optional: "facoltativa", planPathway: "Pianifica il mio percorso formativo",
      ects: "{n} ECTS", hours: "{n} h", mode_online: "online", "mode_in-person": "in presenza", mode_hybrid: "ibrido",
      closes: "Copre: {list}", illustrative: "Catalogo illustrativo: corsi ed enti di formazione sono inventati.",
      total: "Totale: {ects} ECTS, {hours} ore", savePathway: "Salva questo percorso", next: "Continua",
      markCompleted: "Segna come completata", markAria: "Segna {name} come completata", completed: "Completata",
      exportJsonld: "Scarica (ELM JSON-LD)", exportHtml: "Report stampabile", targetJob: "Lavoro obiettivo: {name}",
      pathwayTitle: "Il tuo percorso formativo", network: "Problema di connessione. Controlla la rete e riprova.",
      generic: "Qualcosa è andato storto. Riprova.", rateLimited: "Troppe richieste. Attendi {s} secondi e riprova.",
      tooLarge: "Il file è troppo grande (massimo 10 MB).",
      unsupported: "Tipo di file non supportato. Usa PDF, Word, testo, XML Europass o JSON-LD.",
      sessionLost: "La conversazione precedente è terminata; ne è iniziata una nuova.",
      thinking: "L'orientatore sta scrivendo…", you: "Tu", guide: "Orientatore", fileSent: "File inviato: {name}", empty: "Scrivi prima un messaggio."
    },
    tr: {
      title: "LCAMP Pathways", subtitle: "Kariyer rehberi · ileri imalat",
      open: "LCAMP Pathways kariyer rehberini aç", close: "Sohbeti kapat", dialog: "LCAMP Pathways kariyer rehberi",
      log: "Konuşma", choices: "Seçimleriniz", inputLabel: "Mesajınız", placeholder: "Yanıtınızı yazın…",
      send: "Gönder", back: "Geri", help: "Yardım", startOver: "Baştan başla", startOverConfirm: "Her şey silinip baştan başlansın mı?",
      upload: "CV yükle", uploadLabel: "CV veya belge yükleyin (PDF, Word, metin, Europass XML, JSON-LD)",
      uploading: "Yükleniyor…", language: "Dil", step: "Adım {k}/{n}: {name}",
      confirm: "Onayla", reject: "Hiçbiri", addArea: "Başka bir alan ekle", addSkill: "Bir beceri ekle", add: "Ekle",
      placeholderArea: "ör. kaynak", placeholderSkill: "ör. PLC programlama",
      levels: "Yeterlilik seviyeleri", selected: "Seçilen: {name} — {descriptor}", saveLevels: "Seviyelerimi kaydet",
      submitQuiz: "Yanıtları gönder", rateAll: "Lütfen her beceri için bir seviye seçin.",
      answerAll: "Lütfen tüm soruları yanıtlayın.", pickOne: "En az bir alan seçin veya ekleyin.",
      eqf: "AYÇ", match: "%{n} uyum", satisfied: "{n} karşılanıyor", below: "{n} seviyenin altında", missing: "{n} eksik",
      choose: "Seç", chooseAria: "Seç: {name}", yourSkills: "Bu meslek için becerileriniz",
      gapLevel: "seviye {a} → {b}", essential: "temel", optional: "isteğe bağlı", planPathway: "Öğrenme yolumu planla",
      ects: "{n} AKTS", hours: "{n} sa", mode_online: "çevrim içi", "mode_in-person": "yüz yüze", mode_hybrid: "hibrit",
      closes: "Kapattığı açıklar: {list}", illustrative: "Örnek katalog: kurslar ve eğitim sağlayıcıları kurgusaldır.",
      total: "Toplam: {ects} AKTS, {hours} saat", savePathway: "Bu yolu kaydet", next: "Devam et",
      markCompleted: "Tamamlandı olarak işaretle", markAria: "Tamamlandı olarak işaretle: {name}", completed: "Tamamlandı",
      exportJsonld: "İndir (ELM JSON-LD)", exportHtml: "Yazdırılabilir rapor", targetJob: "Hedef meslek: {name}",
      pathwayTitle: "Öğrenme yolunuz", network: "Bağlantı sorunu. Ağınızı kontrol edip tekrar deneyin.",
      generic: "Bir şeyler ters gitti. Lütfen tekrar deneyin.", rateLimited: "Çok fazla istek. {s} saniye bekleyip tekrar deneyin.",
      tooLarge: "Dosya çok büyük (en fazla 10 MB).",
      unsupported: "Bu dosya türü desteklenmiyor. PDF, Word, metin, Europass XML veya JSON-LD kullanın.",
      sessionLost: "Önceki konuşmanız sona erdi; yeni bir konuşma başladı.",
      thinking: "Rehber yazıyor…", you: "Siz", guide: "Rehber", fileSent: "Dosya gönderildi: {name}", empty: "Önce bir mesaj yazın."
    },
    sl: {
      title: "LCAMP Pathways", subtitle: "Poklicno svetovanje · napredna proizvodnja",
      open: "Odpri poklicnega svetovalca LCAMP Pathways", close: "Zapri klepet", dialog: "Poklicni svetovalec LCAMP Pathways",
      log: "Pogovor", choices: "Vaše izbire", inputLabel: "Vaše sporočilo", placeholder: "Vpišite odgovor…",
      send: "Pošlji", back: "Nazaj", help: "Pomoč", startOver: "Začni znova", startOverConfirm: "Izbrišem vse in začnem znova?",
      upload: "Naloži CV", uploadLabel: "Naložite CV ali dokazilo (PDF, Word, besedilo, Europass XML, JSON-LD)",
      uploading: "Nalaganje…", language: "Jezik", step: "Korak {k} od {n}: {name}",
      confirm: "Potrdi", reject: "Nič od tega", addArea: "Dodaj drugo področje", addSkill: "Dodaj spretnost", add: "Dodaj",
      placeholderArea: "npr. varjenje", placeholderSkill: "npr. programiranje PLK",
      levels: "Ravni obvladanja", selected: "Izbrano: {name} — {descriptor}", saveLevels: "Shrani moje ravni",
      submitQuiz: "Pošlji odgovore", rateAll: "Izberite raven za vsako spretnost.",
      answerAll: "Odgovorite na vsa vprašanja.", pickOne: "Izberite vsaj eno področje ali ga dodajte.",
      eqf: "EOK", match: "{n} % ujemanja", satisfied: "izpolnjene: {n}", below: "pod ravnjo: {n}", missing: "manjkajoče: {n}",
      choose: "Izberi", chooseAria: "Izberi: {name}", yourSkills: "Vaše spretnosti za ta poklic",
      gapLevel: "raven {a} → {b}", essential: "bistvena", optional: "neobvezna", planPathway: "Načrtuj mojo učno pot",
      ects: "{n} ECTS", hours: "{n} h", mode_online: "spletno", "mode_in-person": "v živo", mode_hybrid: "hibridno",
      closes: "Zapolni: {list}", illustrative: "Ponazoritveni katalog: tečaji in izvajalci so izmišljeni.",
      total: "Skupaj: {ects} ECTS, {hours} h", savePathway: "Shrani to pot", next: "Nadaljuj",
      markCompleted: "Označi kot opravljeno", markAria: "Označi {name} kot opravljeno", completed: "Opravljeno",
      exportJsonld: "Prenesi (ELM JSON-LD)", exportHtml: "Poročilo za tisk", targetJob: "Ciljni poklic: {name}",
      pathwayTitle: "Vaša učna pot", network: "Težava s povezavo. Preverite omrežje in poskusite znova.",
      generic: "Prišlo je do napake. Poskusite znova.", rateLimited: "Preveč zahtev. Počakajte {s} s in poskusite znova.",
      tooLarge: "Datoteka je prevelika (največ 10 MB).",
      unsupported: "Ta vrsta datoteke ni podprta. Uporabite PDF, Word, besedilo, Europass XML ali JSON-LD.",
      sessionLost: "Prejšnji pogovor se je končal; začel se je nov.",
      thinking: "Svetovalec piše…", you: "Vi", guide: "Svetovalec", fileSent: "Datoteka poslana: {name}", empty: "Najprej vpišite sporočilo."
    }
  };

  /* ---------- configuration from the script tag ---------- */
  var SCRIPT = document.currentScript || document.querySelector('script[src*="widget.js"]');

  function pickLang(value) {
    var code = String(value || "").toLowerCase().slice(0, 2);
    return LANGS.indexOf(code) >= 0 ? code : "en";
  }

  function apiBase(script) {
    if (script && script.dataset.api) return script.dataset.api.replace(/\/+$/, "");
    try { return new URL(script.src, location.href).origin; } catch (e) { return location.origin; }
  }

  /* ---------- small helpers ---------- */
  function fmt(text, values) {
    return String(text).replace(/\{(\w+)\}/g, function (m, key) {
      return values && values[key] != null ? String(values[key]) : m;
    });
  }

  /* h("button", {class: "btn", onclick: fn, "data-testid": "x"}, "text", child) */
  function h(tag, props) {
    var el = document.createElement(tag);
    Object.keys(props || {}).forEach(function (key) {
      var value = props[key];
      if (value == null || value === false) return;
      if (key.slice(0, 2) === "on") el.addEventListener(key.slice(2), value);
      else if (key === "class") el.className = value;
      else if (key === "text") el.textContent = value;
      else el.setAttribute(key, value === true ? "" : value);
    });
    for (var i = 2; i < arguments.length; i++) append(el, arguments[i]);
    return el;
  }

  function append(el, child) {
    if (child == null || child === false) return;
    if (Array.isArray(child)) child.forEach(function (c) { append(el, c); });
    else el.append(child instanceof Node ? child : String(child));
  }

  var uid = 0;
  function nextId(prefix) { uid += 1; return "lp-" + prefix + "-" + uid; }

  function reducedMotion() {
    return window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  function loadStore() {
    try { return JSON.parse(localStorage.getItem(STORE_KEY)) || {}; } catch (e) { return {}; }
  }

  function ApiError(status, message, retryAfter, code) {
    this.status = status;
    this.message = message || "";
    this.retryAfter = retryAfter;
    this.code = code || "";
  }

  async function errorFrom(res) {
    var body = null;
    try { body = await res.json(); } catch (e) { body = null; }
    var err = (body && body.error) || {};
    return new ApiError(res.status, err.message, res.headers.get("Retry-After"), err.code);
  }

  function errorFromXhr(xhr) {
    var err = {};
    try { err = JSON.parse(xhr.responseText).error || {}; } catch (e) { err = {}; }
    return new ApiError(xhr.status, err.message, xhr.getResponseHeader("Retry-After"), err.code);
  }

  /* Split an SSE buffer into complete event blocks; returns [blocks, rest]. Handles \n and \r\n. */
  function splitEvents(buffer) {
    var blocks = [];
    var match;
    var re = /\r\n\r\n|\n\n|\r\r/;
    while ((match = re.exec(buffer))) {
      blocks.push(buffer.slice(0, match.index));
      buffer = buffer.slice(match.index + match[0].length);
    }
    return [blocks, buffer];
  }

  function parseEvent(block) {
    var event = "message";
    var data = [];
    block.split(/\r\n|\r|\n/).forEach(function (line) {
      if (!line || line[0] === ":") return;
      var colon = line.indexOf(":");
      var field = colon < 0 ? line : line.slice(0, colon);
      var value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "event") event = value;
      else if (field === "data") data.push(value);
    });
    if (!data.length) return null;
    try { return { event: event, data: JSON.parse(data.join("\n")) }; } catch (e) { return null; }
  }

  /* ---------- styles (scoped by the shadow root) ---------- */
  var STYLES = [
    ":host{all:initial}",
    ".root{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;color:#1b1f24}",
    ".root *,.root *::before,.root *::after{box-sizing:border-box;font:inherit;color:inherit;letter-spacing:normal;text-transform:none;text-shadow:none}",
    "[hidden]{display:none!important}",
    ".sr-only{position:absolute!important;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}",
    ":focus-visible{outline:3px solid #b45309;outline-offset:2px}",
    "button,select,input,textarea{margin:0}",
    ".launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;width:60px;height:60px;border-radius:50%;border:2px solid #fff;background:#0b5cad;color:#fff;box-shadow:0 4px 14px rgba(0,0,0,.3);cursor:pointer;display:grid;place-items:center;padding:0}",
    ".launcher:hover{background:#094c8f}",
    ".launcher svg{width:28px;height:28px;fill:currentColor}",
    ".panel{position:fixed;right:20px;bottom:92px;z-index:2147483000;width:min(410px,calc(100vw - 40px));height:min(680px,calc(100vh - 112px));display:flex;flex-direction:column;background:#fff;border:1px solid #c4ccd5;border-radius:14px;box-shadow:0 12px 40px rgba(0,0,0,.28);overflow:hidden}",
    ".head{display:flex;align-items:center;gap:8px;padding:10px 10px 10px 14px;background:#0b5cad;color:#fff}",
    ".head .titles{flex:1;min-width:0}",
    ".head h2{margin:0;font-size:16px;font-weight:700;line-height:1.2}",
    ".head p{margin:0;font-size:12.5px;color:#eef4fb}",
    ".head select{max-width:120px;height:34px;border:1px solid #fff;border-radius:6px;background:#fff;color:#1b1f24;font-size:13.5px;padding:0 4px}",
    ".head .x{width:36px;height:36px;border:0;border-radius:6px;background:transparent;color:#fff;font-size:24px;line-height:1;cursor:pointer}",
    ".head .x:hover{background:#094c8f}",
    ".head :focus-visible{outline-color:#fff}",
    ".progress{padding:8px 14px;border-bottom:1px solid #dfe3e8;font-size:13px;color:#3d4752;background:#fff}",
    ".bar{height:6px;margin-top:4px;border-radius:3px;background:#e4e8ee;overflow:hidden}",
    ".bar span{display:block;height:100%;width:0;background:#0b5cad;transition:width .3s}",
    ".scroll{flex:1;min-height:0;overflow:auto;padding:12px 14px;background:#f6f8fa;scroll-behavior:smooth}",
    ".log{display:flex;flex-direction:column;gap:6px}",
    ".msg{position:relative;max-width:88%;padding:8px 12px;border-radius:12px;white-space:pre-wrap;overflow-wrap:anywhere}",
    ".msg::before{content:attr(data-who) ': ';position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}",
    ".msg.assistant{align-self:flex-start;background:#fff;border:1px solid #dfe3e8;border-bottom-left-radius:4px}",
    ".msg.user{align-self:flex-end;background:#0b5cad;color:#fff;border-bottom-right-radius:4px}",
    ".typing{display:inline-flex;gap:4px;margin-top:6px;padding:10px 12px;background:#fff;border:1px solid #dfe3e8;border-radius:12px}",
    ".typing span{width:7px;height:7px;border-radius:50%;background:#5b6672;animation:lp-blink 1.2s infinite}",
    ".typing span:nth-child(2){animation-delay:.2s}.typing span:nth-child(3){animation-delay:.4s}",
    "@keyframes lp-blink{0%,80%,100%{opacity:.25}40%{opacity:1}}",
    ".controls{margin:12px 0 4px;padding:0;border:0;min-width:0}",
    ".controls h3{margin:0 0 8px;font-size:15px;font-weight:700}",
    ".btn{min-height:40px;padding:8px 14px;border:1px solid #0b5cad;border-radius:8px;background:#fff;color:#0b5cad;font-weight:600;cursor:pointer;text-align:center}",
    ".btn:hover{background:#e8f0fa}",
    ".btn.primary{background:#0b5cad;color:#fff}.btn.primary:hover{background:#094c8f}",
    ".btn.small{min-height:34px;padding:5px 10px;font-size:13.5px}",
    ".btn:disabled,.btn[aria-disabled=true]{opacity:.55;cursor:not-allowed}",
    ".actions{display:flex;flex-wrap:wrap;gap:8px;margin-top:12px}",
    ".chips{display:flex;flex-wrap:wrap;gap:8px;margin:0;padding:0;list-style:none}",
    ".chip{display:inline-flex;align-items:center;gap:6px;padding:6px 12px;border:1px solid #7b8794;border-radius:999px;background:#fff;cursor:pointer}",
    ".chip:has(input:checked),.check:has(input:checked){background:#e3eefb;border-color:#0b5cad}",
    "input[type=checkbox],input[type=radio]{width:18px;height:18px;flex:none;accent-color:#0b5cad}",
    ".checks{display:flex;flex-direction:column;gap:6px;margin:0;padding:0;list-style:none}",
    ".check{display:flex;gap:8px;align-items:flex-start;padding:8px 10px;border:1px solid #c9d1da;border-radius:8px;background:#fff;cursor:pointer}",
    ".check input{margin-top:2px}",
    ".evidence{display:block;font-size:13px;color:#4a5561;font-style:italic}",
    ".addrow{display:flex;flex-wrap:wrap;gap:6px;align-items:flex-end;margin-top:10px}",
    ".addrow label{flex-basis:100%;font-size:13.5px;font-weight:600}",
    ".addrow input,.composer textarea{flex:1;min-width:0;border:1px solid #7b8794;border-radius:8px;background:#fff;color:#1b1f24}",
    ".addrow input{height:40px;padding:0 10px}",
    ".card{margin:0 0 10px;padding:10px 12px;border:1px solid #dfe3e8;border-radius:10px;background:#fff;min-width:0}",
    ".card legend{padding:0 4px;font-weight:600}",
    ".key{margin:0 0 10px;padding:8px 10px;font-size:13px;border:1px solid #dfe3e8;border-radius:8px;background:#fff}",
    ".key dt{font-weight:700}.key dd{margin:0 0 4px}",
    ".levels{display:grid;grid-template-columns:repeat(4,1fr);gap:6px}",
    ".level{display:flex;flex-direction:column;align-items:center;gap:2px;padding:6px 4px;border:1px solid #7b8794;border-radius:8px;font-size:13px;text-align:center;cursor:pointer}",
    ".level:has(input:checked){background:#e3eefb;border-color:#0b5cad;font-weight:600}",
    ".desc{margin:6px 0 0;font-size:13px;color:#3d4752}",
    ".choice{display:flex;gap:8px;align-items:flex-start;padding:5px 2px;cursor:pointer}",
    ".choice input{margin-top:2px}",
    ".jobs,.gaps,.timeline{margin:0;padding:0;list-style:none}",
    ".job h4,.tstep h4{margin:0;font-size:15px;font-weight:700}",
    ".meta{font-size:13px;color:#4a5561}",
    ".meter{height:8px;margin:6px 0;border-radius:4px;background:#e4e8ee;overflow:hidden}",
    ".meter span{display:block;height:100%;background:#1a7f37}",
    ".counts{display:flex;flex-wrap:wrap;gap:6px;margin:6px 0;font-size:13px}",
    ".badge{display:inline-block;padding:1px 8px;border-radius:999px;background:#eef1f4;color:#1b1f24;font-size:12.5px}",
    ".badge.ok{background:#dafbe1;color:#0f5323}.badge.warn{background:#fff1c2;color:#6b4500}.badge.miss{background:#ffe1e0;color:#82071e}",
    "details{margin:4px 0;font-size:13px}summary{cursor:pointer;color:#0b5cad}",
    ".gap{display:flex;flex-wrap:wrap;justify-content:space-between;gap:4px 8px;padding:7px 10px;border:1px solid #dfe3e8;border-bottom:0;background:#fff}",
    ".gap:last-child{border-bottom:1px solid #dfe3e8}",
    ".timeline{counter-reset:lpstep}",
    ".tstep{position:relative;margin-left:12px;padding:0 0 14px 24px;border-left:2px solid #b6c6da}",
    ".tstep:last-child{border-left-color:transparent}",
    ".tstep::before{counter-increment:lpstep;content:counter(lpstep);position:absolute;left:-13px;top:0;width:24px;height:24px;border-radius:50%;background:#0b5cad;color:#fff;font-size:12.5px;font-weight:700;display:grid;place-items:center}",
    ".tstep.done::before{content:'\\2713';background:#1a7f37}",
    ".tstep .btn{margin-top:6px}",
    ".note{margin:8px 0;padding:6px 10px;font-size:13px;color:#3d3100;background:#fff8e1;border:1px solid #e8cf7a;border-radius:8px}",
    ".alert{margin:8px 14px 0;padding:8px 10px;font-size:14px;color:#82071e;background:#ffebe9;border:1px solid #ff8182;border-radius:8px}",
    ".alert:empty{display:none}",
    ".upload{margin:8px 14px 0;font-size:13px;display:flex;align-items:center;gap:8px}",
    ".upload progress{flex:1}",
    ".composer{display:flex;gap:8px;align-items:flex-end;padding:10px 14px 6px;border-top:1px solid #dfe3e8;background:#fff}",
    ".composer textarea{resize:none;height:44px;max-height:120px;padding:10px;line-height:1.35}",
    ".tools{display:flex;flex-wrap:wrap;align-items:center;gap:6px;padding:2px 14px 10px;background:#fff}",
    ".tools .spacer{flex:1}",
    ".filebtn{display:inline-flex;align-items:center}",
    "input[type=file]:focus-visible+label{outline:3px solid #b45309;outline-offset:2px}",
    "@media (max-width:480px){.panel{inset:0;width:100%;height:100%;max-height:none;border:0;border-radius:0}" +
      ".launcher[aria-expanded=true]{display:none}.levels{grid-template-columns:repeat(2,1fr)}.msg{max-width:94%}}",
    "@media (prefers-reduced-motion:reduce){.root *{animation:none!important;transition:none!important;scroll-behavior:auto!important}}"
  ].join("\n");

  var ICON = '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M4 3h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3z"/></svg>';

  /* ---------- the element ---------- */
  class LcampPathways extends HTMLElement {
    constructor() {
      super();
      this.attachShadow({ mode: "open" });
      this.api = apiBase(SCRIPT);
      if (this.dataset.api) this.api = this.dataset.api.replace(/\/+$/, "");
      this.data = loadStore();
      this.data.transcript = Array.isArray(this.data.transcript) ? this.data.transcript : [];
      this.uiLang = pickLang(this.dataset.lang || (SCRIPT && SCRIPT.dataset.lang));
      this.turn = null;
      this.busy = false;
      this.started = false;
      this.bindings = [];
      this.stream = null;
    }

    connectedCallback() {
      if (this.root) return;
      this.build();
      this.applyStrings();
      this.renderTranscript();
    }

    /* ----- strings ----- */
    t(key, values) {
      var dict = STRINGS[this.uiLang] || STRINGS.en;
      return fmt(dict[key] != null ? dict[key] : STRINGS.en[key] != null ? STRINGS.en[key] : key, values);
    }

    /* Remember that el's text (or an attribute) shows UI string `key`, so a language switch can update it. */
    bind(el, attr, key) {
      this.bindings.push({ el: el, attr: attr, key: key });
      return el;
    }

    applyStrings() {
      var self = this;
      this.bindings.forEach(function (b) {
        if (b.attr === "text") b.el.textContent = self.t(b.key);
        else b.el.setAttribute(b.attr, self.t(b.key));
      });
      this.root.setAttribute("lang", this.uiLang);
      this.$lang.value = this.uiLang;
      this.$messages.querySelectorAll(".msg").forEach(function (m) {
        m.setAttribute("data-who", self.t(m.classList.contains("user") ? "you" : "guide"));
      });
      if (this.turn) this.renderProgress(this.turn.progress);
    }

    setLang(lang, rerender) {
      lang = pickLang(lang);
      if (lang === this.uiLang) return;
      this.uiLang = lang;
      this.data.lang = lang;
      this.save();
      this.applyStrings();
      if (rerender && this.turn) this.renderControls(this.turn);
    }

    /* ----- DOM skeleton ----- */
    build() {
      var self = this;
      var style = h("style", {}, STYLES);
      this.root = h("div", { class: "root" });

      this.$launcher = this.bind(h("button", {
        class: "launcher", type: "button", "aria-expanded": "false", "data-testid": "launcher",
        onclick: function () { self.toggle(); }
      }), "aria-label", "open");
      this.$launcher.innerHTML = ICON;

      this.$lang = h("select", { "data-testid": "language", onchange: function () { self.switchLanguage(self.$lang.value); } },
        LANGS.map(function (code) { return h("option", { value: code, lang: code }, LANG_NAMES[code]); }));
      this.bind(this.$lang, "aria-label", "language");
      var head = h("div", { class: "head" },
        h("div", { class: "titles" }, this.bind(h("h2"), "text", "title"), this.bind(h("p"), "text", "subtitle")),
        this.$lang,
        this.bind(h("button", { class: "x", type: "button", "data-testid": "close", onclick: function () { self.close(); } }, "×"), "aria-label", "close"));

      this.$progressText = h("span");
      this.$progressFill = h("span");
      this.$progress = h("div", { class: "progress", role: "progressbar", "aria-valuemin": "1", "data-testid": "progress", hidden: true },
        this.$progressText, h("div", { class: "bar", "aria-hidden": "true" }, this.$progressFill));

      this.$messages = this.bind(h("div", { class: "log", role: "log", "aria-live": "polite", "data-testid": "messages" }), "aria-label", "log");
      this.$typing = h("div", { class: "typing", hidden: true, "aria-hidden": "true" }, h("span"), h("span"), h("span"));
      this.$controls = this.bind(h("fieldset", { class: "controls", "data-testid": "controls" }), "aria-label", "choices");
      this.$scroll = this.bind(h("div", { class: "scroll", role: "region", tabindex: "0" }, this.$messages, this.$typing, this.$controls), "aria-label", "log");

      this.$alert = h("div", { class: "alert", role: "alert", "data-testid": "alert" });
      this.$uploadBar = h("progress", { max: "100", value: "0" });
      this.$upload = h("div", { class: "upload", hidden: true }, this.bind(h("span"), "text", "uploading"), this.$uploadBar);
      this.bind(this.$uploadBar, "aria-label", "uploading");

      var inputId = nextId("input");
      this.$input = h("textarea", { id: inputId, rows: "1", "data-testid": "input", autocomplete: "off", onkeydown: function (e) { self.onInputKey(e); } });
      this.bind(this.$input, "placeholder", "placeholder");
      this.$send = this.bind(h("button", { class: "btn primary", type: "submit", "data-testid": "send" }), "text", "send");
      var composer = h("form", { class: "composer", onsubmit: function (e) { e.preventDefault(); self.sendText(); } },
        this.bind(h("label", { class: "sr-only", for: inputId }), "text", "inputLabel"), this.$input, this.$send);

      var fileId = nextId("file");
      this.$file = h("input", { id: fileId, type: "file", class: "sr-only", accept: ACCEPT, "data-testid": "file",
        onchange: function () { var f = self.$file.files[0]; self.$file.value = ""; self.uploadFile(f); } });
      this.bind(this.$file, "aria-label", "uploadLabel");
      this.$back = this.bind(h("button", { class: "btn small", type: "button", "data-testid": "back",
        onclick: function () { self.act({ type: "back" }); } }), "text", "back");
      this.$help = this.bind(h("button", { class: "btn small", type: "button", "data-testid": "help",
        onclick: function () { self.act({ type: "help" }); } }), "text", "help");
      this.$startOver = this.bind(h("button", { class: "btn small", type: "button", "data-testid": "start-over",
        onclick: function () { self.onStartOver(); } }), "text", "startOver");
      var fileLabel = this.bind(h("label", { class: "btn small filebtn", for: fileId, "aria-hidden": "true" }), "text", "upload");
      var tools = h("div", { class: "tools" }, this.$back, this.$help, this.$file, fileLabel, h("span", { class: "spacer" }), this.$startOver);

      this.$panel = h("div", {
        class: "panel", role: "dialog", "data-testid": "panel", hidden: true,
        "data-step": "none", "data-pending": "none", "data-busy": "false",
        onkeydown: function (e) { if (e.key === "Escape") { e.stopPropagation(); self.close(); } }
      }, head, this.$progress, this.$scroll, this.$alert, this.$upload, composer, tools);
      this.bind(this.$panel, "aria-label", "dialog");

      this.root.append(this.$launcher, this.$panel);
      this.shadowRoot.append(style, this.root);
    }

    /* ----- open / close ----- */
    toggle() { if (this.$panel.hidden) this.open(); else this.close(); }

    open() {
      this.$panel.hidden = false;
      this.$launcher.setAttribute("aria-expanded", "true");
      this.scrollToEnd();
      if (!this.started) {
        this.started = true;
        this.focusInput();
        if (this.data.session_id) this.resume(); else this.createSession();
      } else {
        this.focusFirstControl();
      }
    }

    close() {
      this.$panel.hidden = true;
      this.$launcher.setAttribute("aria-expanded", "false");
      this.$launcher.focus();
    }

    /* ----- persistence ----- */
    save() {
      var d = this.data;
      if (d.transcript.length > MAX_TRANSCRIPT) d.transcript = d.transcript.slice(-MAX_TRANSCRIPT);
      try { localStorage.setItem(STORE_KEY, JSON.stringify(d)); } catch (e) { /* storage full or blocked */ }
    }

    forget() {
      this.data = { lang: this.uiLang, transcript: [] };
      this.turn = null;
      try { localStorage.removeItem(STORE_KEY); } catch (e) { /* ignore */ }
      this.$messages.textContent = "";
      this.$controls.textContent = "";
      this.$progress.hidden = true;
      this.setPanelState(null);
    }

    /* ----- HTTP ----- */
    headers(json, accept) {
      var headers = { Accept: accept || "application/json", "Accept-Language": this.uiLang };
      if (json) headers["Content-Type"] = "application/json";
      if (this.data.token) headers.Authorization = "Bearer " + this.data.token;
      return headers;
    }

    sessionPath(suffix) { return "/api/sessions/" + encodeURIComponent(this.data.session_id) + (suffix || ""); }

    async request(method, path, body) {
      var res;
      try {
        res = await fetch(this.api + path, {
          method: method, headers: this.headers(body !== undefined), body: body === undefined ? undefined : JSON.stringify(body)
        });
      } catch (e) { throw new ApiError(0); }
      if (!res.ok) throw await errorFrom(res);
      return res.status === 204 ? null : res.json();
    }

    /* POST with ?stream=true; deltas go into bubbles as they arrive. Resolves to the final turn. */
    async postTurn(path, body) {
      var res;
      try {
        res = await fetch(this.api + path + "?stream=true", {
          method: "POST", headers: this.headers(true, "text/event-stream, application/json"), body: JSON.stringify(body)
        });
      } catch (e) { throw new ApiError(0); }
      if (!res.ok) throw await errorFrom(res);
      var type = res.headers.get("Content-Type") || "";
      if (type.indexOf("text/event-stream") < 0) return (await res.json()).turn; // server answered plain JSON
      try {
        return await this.readStream(res);
      } catch (e) {
        if (e instanceof ApiError) throw e;
        // The stream broke after the server accepted the input: fetch the resulting turn instead of resending.
        this.discardStream();
        return (await this.request("GET", this.sessionPath())).turn;
      }
    }

    async readStream(res) {
      var turn = null;
      var buffer = "";
      var self = this;
      var handle = function (block) {
        var ev = parseEvent(block);
        if (!ev) return;
        if (ev.event === "delta") self.appendDelta(ev.data.index, ev.data.text);
        else if (ev.event === "turn") turn = ev.data;
        else if (ev.event === "error") throw new ApiError(0, ev.data.message, null, ev.data.code);
      };
      if (!res.body || !res.body.getReader) {
        splitEvents((await res.text()) + "\n\n")[0].forEach(handle);
      } else {
        var reader = res.body.getReader();
        var decoder = new TextDecoder();
        for (;;) {
          var chunk = await reader.read();
          buffer += chunk.done ? decoder.decode() : decoder.decode(chunk.value, { stream: true });
          var parts = splitEvents(chunk.done ? buffer + "\n\n" : buffer);
          buffer = parts[1];
          parts[0].forEach(handle);
          if (chunk.done) break;
        }
      }
      if (!turn) throw new Error("stream ended without a turn");
      return turn;
    }

    sendUpload(file) {
      var self = this;
      return new Promise(function (resolve, reject) {
        var xhr = new XMLHttpRequest();
        xhr.open("POST", self.api + self.sessionPath("/uploads"));
        var headers = self.headers(false);
        Object.keys(headers).forEach(function (k) { xhr.setRequestHeader(k, headers[k]); });
        xhr.upload.onprogress = function (e) {
          if (e.lengthComputable) { self.$uploadBar.max = e.total; self.$uploadBar.value = e.loaded; }
        };
        xhr.onload = function () {
          if (xhr.status < 200 || xhr.status >= 300) return reject(errorFromXhr(xhr));
          try { resolve(JSON.parse(xhr.responseText).turn); } catch (e) { reject(new ApiError(xhr.status)); }
        };
        xhr.onerror = function () { reject(new ApiError(0)); };
        var form = new FormData();
        form.append("file", file, file.name);
        xhr.send(form);
      });
    }

    /* ----- sessions ----- */
    async createSession() {
      this.setBusy(true);
      try {
        var res;
        try {
          res = await fetch(this.api + "/api/sessions", {
            method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json", "Accept-Language": this.uiLang },
            body: JSON.stringify({ language: this.uiLang })
          });
        } catch (e) { throw new ApiError(0); }
        if (!res.ok) throw await errorFrom(res);
        var body = await res.json();
        this.data = { session_id: body.session_id, token: body.token, lang: this.uiLang, transcript: [],
          credentials: this.data.credentials, labels: {}, areas: this.data.areas };
        this.$messages.textContent = "";
        this.setBusy(false);
        this.applyTurn(body.turn, true);
        return true;
      } catch (err) {
        this.started = false;
        this.setBusy(false);
        this.showError(err);
        return false;
      }
    }

    async resume() {
      this.setBusy(true);
      try {
        var body = await this.request("GET", this.sessionPath());
        this.setBusy(false);
        this.applyTurn(body.turn, this.data.transcript.length === 0);
      } catch (err) {
        this.setBusy(false);
        if (err.status === 404 || err.status === 401) {
          this.forget();
          if (await this.createSession()) this.showAlert(this.t("sessionLost"));
        } else {
          this.started = false;
          this.showError(err);
        }
      }
    }

    async ensureSession() {
      if (this.data.session_id) return true;
      if (this.busy) return false;
      this.started = true;
      return this.createSession();
    }

    onStartOver() {
      var self = this;
      if (!this.confirmingStartOver) {
        this.confirmingStartOver = true;
        this.$startOver.textContent = this.t("startOverConfirm");
        this.startOverTimer = setTimeout(function () {
          self.confirmingStartOver = false;
          self.$startOver.textContent = self.t("startOver");
        }, 5000);
        return;
      }
      clearTimeout(this.startOverTimer);
      this.confirmingStartOver = false;
      this.$startOver.textContent = this.t("startOver");
      this.startOver();
    }

    async startOver() {
      if (this.busy) return;
      if (this.data.session_id) {
        this.setBusy(true);
        try { await this.request("DELETE", this.sessionPath()); } catch (e) { /* already gone is fine */ }
        this.setBusy(false);
      }
      this.forget();
      this.clearAlert();
      this.started = true;
      await this.createSession();
    }

    /* ----- exchanges ----- */
    act(action, extra) {
      return this.exchange("/actions", Object.assign({ action: action }, extra || {}), null);
    }

    async sendText() {
      var text = this.$input.value.trim();
      if (!text) { this.showAlert(this.t("empty")); this.$input.focus(); return; }
      if (await this.exchange("/messages", { text: text }, text)) {
        if (this.$input.value.trim() === text) this.$input.value = "";
      }
    }

    switchLanguage(lang) {
      this.setLang(lang, !this.data.session_id);
      if (this.data.session_id) this.act({ type: "restate" }, { language: this.uiLang });
    }

    /* One request that yields a turn. The typed text stays in the input until the request succeeds. */
    async exchange(path, body, userText) {
      if (this.busy || !(await this.ensureSession())) return false;
      this.clearAlert();
      this.setBusy(true);
      var bubble = userText ? this.addBubble("user", userText) : null;
      this.beginStream();
      try {
        var turn = await this.postTurn(this.sessionPath(path), body);
        if (userText) this.data.transcript.push({ role: "user", text: userText });
        this.setBusy(false);
        this.applyTurn(turn, true);
        return true;
      } catch (err) {
        if (bubble) bubble.remove();
        this.discardStream();
        this.setBusy(false);
        await this.handleError(err);
        if (!this.shadowRoot.activeElement) this.focusInput();
        return false;
      }
    }

    async uploadFile(file) {
      if (!file) return;
      var ext = (file.name.match(/\.[^.]+$/) || [""])[0].toLowerCase();
      if (ACCEPT.split(",").indexOf(ext) < 0) return this.showAlert(this.t("unsupported"));
      if (file.size > MAX_UPLOAD) return this.showAlert(this.t("tooLarge"));
      if (this.busy || !(await this.ensureSession())) return;
      this.clearAlert();
      this.setBusy(true);
      this.$uploadBar.value = 0;
      this.$upload.hidden = false;
      try {
        var turn = await this.sendUpload(file);
        var note = this.t("fileSent", { name: file.name });
        this.addBubble("user", note);
        this.data.transcript.push({ role: "user", text: note });
        this.setBusy(false);
        this.applyTurn(turn, true);
      } catch (err) {
        this.setBusy(false);
        await this.handleError(err);
      } finally {
        this.$upload.hidden = true;
      }
    }

    async exportFile(format) {
      if (this.busy) return;
      this.clearAlert();
      try {
        var res;
        try {
          res = await fetch(this.api + this.sessionPath("/export?format=" + format), { headers: this.headers(false, "*/*") });
        } catch (e) { throw new ApiError(0); }
        if (!res.ok) throw await errorFrom(res);
        var blob = await res.blob();
        var url = URL.createObjectURL(blob);
        var win = format === "html" ? window.open(url, "_blank") : null;
        if (win) win.opener = null;
        else this.download(url, format === "html" ? "lcamp-pathways-report.html" : "lcamp-pathways-profile.jsonld");
        setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
      } catch (err) {
        await this.handleError(err);
      }
    }

    download(url, name) {
      var a = h("a", { href: url, download: name, hidden: true });
      this.root.append(a);
      a.click();
      a.remove();
    }

    /* ----- errors ----- */
    messageFor(err) {
      if (err && err.message) return err.message;
      var status = err ? err.status : 0;
      if (status === 0) return this.t("network");
      if (status === 429) return this.t("rateLimited", { s: (err.retryAfter || "30") });
      if (status === 413) return this.t("tooLarge");
      if (status === 415) return this.t("unsupported");
      return this.t("generic");
    }

    async handleError(err) {
      if (!(err instanceof ApiError)) err = new ApiError(-1);
      if ((err.status === 404 || err.status === 401) && this.data.session_id) {
        this.forget();
        if (await this.createSession()) this.showAlert(this.t("sessionLost"));
        return;
      }
      this.showAlert(this.messageFor(err));
    }

    showError(err) { this.showAlert(this.messageFor(err instanceof ApiError ? err : new ApiError(-1))); }
    showAlert(text) { this.$alert.textContent = text; }
    clearAlert() { this.$alert.textContent = ""; }

    /* ----- busy state ----- */
    setBusy(busy) {
      this.busy = busy;
      this.$panel.setAttribute("data-busy", busy ? "true" : "false");
      this.$messages.setAttribute("aria-busy", busy ? "true" : "false");
      this.$typing.hidden = !busy;
      this.$controls.disabled = busy;
      [this.$send, this.$back, this.$help, this.$startOver, this.$lang, this.$file].forEach(function (el) { el.disabled = busy; });
      if (busy) this.scrollToEnd();
    }

    setPanelState(turn) {
      this.$panel.setAttribute("data-step", (turn && turn.step) || "none");
      this.$panel.setAttribute("data-pending", (turn && turn.pending && turn.pending.kind) || "none");
    }

    /* ----- messages ----- */
    addBubble(role, text) {
      var bubble = h("div", {
        class: "msg " + role, "data-testid": role === "user" ? "msg-user" : "msg-assistant",
        "data-who": this.t(role === "user" ? "you" : "guide")
      }, text);
      this.$messages.append(bubble);
      return bubble;
    }

    renderTranscript() {
      var self = this;
      this.$messages.textContent = "";
      this.data.transcript.forEach(function (m) { self.addBubble(m.role === "user" ? "user" : "assistant", m.text); });
    }

    beginStream() { this.stream = { bubbles: [] }; }

    appendDelta(index, text) {
      if (!this.stream) this.beginStream();
      var bubble = this.stream.bubbles[index];
      if (!bubble) {
        bubble = this.stream.bubbles[index] = this.addBubble("assistant", "");
        this.$typing.hidden = true;
      }
      bubble.textContent += text || "";
      this.scrollToEnd();
    }

    discardStream() {
      if (this.stream) this.stream.bubbles.forEach(function (b) { if (b) b.remove(); });
      this.stream = null;
    }

    scrollToEnd() {
      var s = this.$scroll;
      requestAnimationFrame(function () { s.scrollTop = s.scrollHeight; });
    }

    /* ----- turns ----- */
    applyTurn(turn, showMessages) {
      var self = this;
      if (!turn) return;
      var streamed = (this.stream && this.stream.bubbles) || [];
      var first = null;
      if (showMessages) {
        (turn.messages || []).forEach(function (text, i) {
          var bubble = streamed[i] || self.addBubble("assistant", text);
          bubble.textContent = text;
          first = first || bubble;
          self.data.transcript.push({ role: "assistant", text: text });
        });
        streamed.slice((turn.messages || []).length).forEach(function (b) { if (b) b.remove(); });
      }
      this.stream = null;
      this.turn = turn;
      this.remember(turn);
      if (turn.language && pickLang(turn.language) !== this.uiLang) this.setLang(turn.language, false);
      this.renderProgress(turn.progress);
      this.setPanelState(turn);
      this.renderControls(turn);
      this.save();
      this.afterTurn(first);
    }

    /* Keep what later turns need but do not repeat: credential details, skill labels, the full list of areas. */
    remember(turn) {
      var d = this.data;
      d.credentials = d.credentials || {};
      d.labels = d.labels || {};
      d.areas = d.areas || {};
      var p = turn.pending;
      var profile = turn.profile || {};
      (profile.skills || []).forEach(function (s) { d.labels[s.uri] = s.label; });
      if (!p) return;
      (p.options || []).forEach(function (o) {
        if (p.kind === "confirm_pathway") d.credentials[o.id] = o;
        else if (o.uri && o.label && p.kind !== "choose_job") d.labels[o.uri] = o.label;
      });
      if (p.kind === "confirm_interests" && p.options && p.options.length > 3) d.areas[turn.language || this.uiLang] = p.options;
    }

    renderProgress(progress) {
      if (!progress || !progress.total) { this.$progress.hidden = true; return; }
      var text = this.t("step", { k: progress.current, n: progress.total, name: progress.name || "" });
      this.$progress.hidden = false;
      this.$progress.setAttribute("aria-valuenow", String(progress.current));
      this.$progress.setAttribute("aria-valuemax", String(progress.total));
      this.$progress.setAttribute("aria-valuetext", text);
      this.$progress.setAttribute("aria-label", text);
      this.$progressText.textContent = text;
      this.$progressFill.style.width = Math.round((100 * progress.current) / progress.total) + "%";
    }

    /* Show the start of the new messages, then just enough more to keep the focused control in view. */
    afterTurn(firstNew) {
      var self = this;
      if (this.$panel.hidden) return;
      var control = this.focusFirstControl();
      requestAnimationFrame(function () {
        var s = self.$scroll;
        var y = function (el, edge) { return el.getBoundingClientRect()[edge] - s.getBoundingClientRect().top + s.scrollTop; };
        var top = firstNew ? y(firstNew, "top") - 8 : s.scrollHeight;
        if (control && self.$controls.contains(control)) {
          var bottom = y(control, "bottom") + 12;
          top = Math.max(top, bottom - s.clientHeight);
        }
        s.scrollTo({ top: top, behavior: reducedMotion() ? "auto" : "smooth" });
      });
    }

    focusFirstControl() {
      var target = this.$controls.querySelector("input:not([disabled]),button:not([disabled]),select:not([disabled])");
      target = target || this.$input;
      target.focus({ preventScroll: true });
      return target;
    }

    focusInput() { this.$input.focus({ preventScroll: true }); }

    onInputKey(e) {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.sendText();
      }
    }

    /* ----- pending controls: one renderer per kind ----- */
    renderControls(turn) {
      this.$controls.textContent = "";
      var kind = turn.pending && turn.pending.kind;
      var renderers = {
        confirm_interests: this.renderInterests, confirm_skills: this.renderSkills, rate_proficiency: this.renderRate,
        answer_quiz: this.renderQuiz, choose_job: this.renderJobs, confirm_gaps: this.renderGaps, confirm_pathway: this.renderPathway
      };
      var render = renderers[kind] || (turn.step === "report" ? this.renderReport : turn.step === "done" ? this.renderDone : null);
      if (render) append(this.$controls, render.call(this, turn.pending, turn));
      this.$controls.hidden = !this.$controls.childNodes.length;
    }

    button(key, props, onclick, values) {
      var self = this;
      return h("button", Object.assign({ class: "btn", type: "button", onclick: function (e) { if (!self.busy) onclick(e); } }, props || {}),
        this.t(key, values));
    }

    actions() { return h("div", { class: "actions" }, Array.prototype.slice.call(arguments)); }

    renderInterests(pending) {
      // The first question lists every area to pick from (nothing pre-selected); later turns propose a few to keep.
      var pick = pending.select === "pick" || (pending.options || []).length > 3;
      var areas = (this.data.areas || {})[this.uiLang] || [];
      return this.renderOptionPicker(pending, {
        list: "chips", item: "chip", preselect: !pick, requireOne: pick, addKey: "addArea", placeholderKey: "placeholderArea",
        suggest: function (query, fill) {
          var q = query.toLowerCase();
          fill(areas.filter(function (a) { return a.label.toLowerCase().indexOf(q) >= 0; })
            .map(function (a) { return { value: a.id, label: a.label }; }));
        }
      });
    }

    renderSkills(pending) {
      var self = this;
      var timer = null;
      var latest = "";
      return this.renderOptionPicker(pending, {
        list: "checks", item: "check", preselect: true, requireOne: false, addKey: "addSkill", placeholderKey: "placeholderSkill",
        suggest: function (query, fill) {
          clearTimeout(timer);
          latest = query;
          if (query.length < 2) return;
          timer = setTimeout(async function () {
            try {
              var url = self.api + "/api/catalogue/skills?q=" + encodeURIComponent(query) + "&lang=" + self.uiLang + "&limit=8";
              var res = await fetch(url, { headers: { Accept: "application/json" } });
              if (!res.ok || latest !== query) return;
              fill(((await res.json()).results || []).map(function (r) { return { value: r.uri, label: r.label }; }));
            } catch (e) { /* suggestions are optional */ }
          }, 200);
        }
      });
    }

    /* Shared by interests and skills: keep/remove toggles, an add input with suggestions, confirm and reject. */
    renderOptionPicker(pending, cfg) {
      var self = this;
      var list = h("ul", { class: cfg.list });
      var suggestions = {};
      var addItem = function (id, label, checked, added, evidence) {
        var box = h("input", { type: "checkbox", "data-testid": "option", "data-id": id, "data-added": added ? "true" : null, checked: checked });
        var text = h("span", {}, label, evidence ? h("span", { class: "evidence" }, "“" + evidence + "”") : null);
        list.append(h("li", {}, h("label", { class: cfg.item }, box, text)));
        return box;
      };
      (pending.options || []).forEach(function (o) { addItem(o.id, o.label, cfg.preselect, false, o.evidence); });

      var inputId = nextId("add");
      var listId = nextId("suggest");
      var datalist = h("datalist", { id: listId });
      var input = h("input", { id: inputId, type: "text", list: listId, autocomplete: "off", "data-testid": "add-input",
        placeholder: this.t(cfg.placeholderKey) });
      var fill = function (items) {
        datalist.textContent = "";
        items.forEach(function (it) { suggestions[it.label.toLowerCase()] = it.value; datalist.append(h("option", { value: it.label })); });
      };
      var addTyped = function () {
        var label = input.value.trim();
        if (!label) return;
        var value = suggestions[label.toLowerCase()] || label;
        var existing = list.querySelector('input[data-id="' + CSS_escape(value) + '"]');
        if (existing) existing.checked = true;
        else addItem(value, label, true, true);
        input.value = "";
        input.focus();
      };
      input.addEventListener("input", function () { cfg.suggest(input.value.trim(), fill); });
      input.addEventListener("keydown", function (e) {
        if (e.key === "Enter" && !e.isComposing) { e.preventDefault(); addTyped(); }
      });
      var addRow = h("div", { class: "addrow" }, h("label", { for: inputId }, this.t(cfg.addKey)), input, datalist,
        this.button("add", { "data-testid": "add-button" }, addTyped));

      var confirm = function () {
        var boxes = Array.prototype.slice.call(list.querySelectorAll("input[type=checkbox]"));
        var ids = function (pred) { return boxes.filter(pred).map(function (b) { return b.getAttribute("data-id"); }); };
        var keep = ids(function (b) { return b.checked && !b.hasAttribute("data-added"); });
        var add = ids(function (b) { return b.checked && b.hasAttribute("data-added"); });
        if (!keep.length && !add.length) {
          if (cfg.requireOne) { self.showAlert(self.t("pickOne")); return; }
          self.act({ type: "reject" });
          return;
        }
        var action = { type: "confirm", keep: keep, add: add };
        // An empty keep means "everything proposed" to the server, so list the removals explicitly then.
        if (!keep.length) action.remove = ids(function (b) { return !b.hasAttribute("data-added"); });
        self.act(action);
      };
      return [list, addRow, this.actions(
        this.button("confirm", { class: "btn primary", "data-testid": "confirm" }, confirm),
        this.button("reject", { "data-testid": "reject" }, function () { self.act({ type: "reject" }); }))];
    }

    renderRate(pending) {
      var self = this;
      var levels = pending.levels && pending.levels.length ? pending.levels
        : [1, 2, 3, 4].map(function (n) { return { level: n, name: String(n), descriptor: "" }; });
      var descIds = {};
      var key = h("dl", { class: "key" }, levels.map(function (lv) {
        descIds[lv.level] = nextId("level");
        return [h("dt", {}, lv.level + " · " + lv.name), h("dd", { id: descIds[lv.level] }, lv.descriptor)];
      }));
      var sets = (pending.options || []).map(function (o, i) {
        var desc = h("p", { class: "desc", "aria-live": "polite" });
        var show = function (lv) { desc.textContent = lv ? self.t("selected", { name: lv.name, descriptor: lv.descriptor }) : ""; };
        var name = nextId("rate") + "-" + i;
        var radios = levels.map(function (lv) {
          var radio = h("input", { type: "radio", name: name, value: String(lv.level), "aria-describedby": descIds[lv.level],
            checked: o.level === lv.level, onchange: function () { show(lv); } });
          return h("label", { class: "level", title: lv.descriptor }, radio, h("span", {}, lv.level + " " + lv.name));
        });
        show(levels.filter(function (lv) { return lv.level === o.level; })[0]);
        return h("fieldset", { class: "card", "data-testid": "rate-item", "data-uri": o.uri || o.id },
          h("legend", {}, o.label), h("div", { class: "levels" }, radios), desc);
      });
      var submit = function () {
        var result = {};
        var missing = null;
        sets.forEach(function (set) {
          var checked = set.querySelector("input:checked");
          if (checked) result[set.getAttribute("data-uri")] = Number(checked.value);
          else missing = missing || set;
        });
        if (missing) { self.showAlert(self.t("rateAll")); missing.querySelector("input").focus(); return; }
        self.act({ type: "rate", default: null, levels: result });
      };
      return [h("h3", {}, this.t("levels")), key, sets,
        this.actions(this.button("saveLevels", { class: "btn primary", "data-testid": "confirm" }, submit))];
    }

    renderQuiz(pending) {
      var self = this;
      var sets = (pending.options || []).map(function (item, i) {
        var name = nextId("quiz") + "-" + i;
        return h("fieldset", { class: "card", "data-testid": "quiz-item", "data-id": item.id, "data-kind": item.kind },
          h("legend", {}, (i + 1) + ". " + item.question),
          (item.options || []).map(function (text, index) {
            return h("label", { class: "choice" }, h("input", { type: "radio", name: name, value: String(index) }), h("span", {}, text));
          }));
      });
      var submit = function () {
        var answers = {};
        var missing = null;
        sets.forEach(function (set) {
          var checked = set.querySelector("input:checked");
          if (checked) answers[set.getAttribute("data-id")] = Number(checked.value);
          else missing = missing || set;
        });
        if (missing) { self.showAlert(self.t("answerAll")); missing.querySelector("input").focus(); return; }
        self.act({ type: "answer_quiz", answers: answers });
      };
      return [sets, this.actions(this.button("submitQuiz", { class: "btn primary", "data-testid": "confirm" }, submit))];
    }

    renderJobs(pending, turn) {
      var self = this;
      var labels = {};
      ((turn.profile || {}).skills || []).forEach(function (s) { labels[s.uri] = s.label; });
      var cards = (pending.options || []).map(function (job) {
        var skills = job.skills || {};
        var satisfied = skills.satisfied || [];
        var below = skills["below-level"] || [];
        var missing = skills.missing || [];
        var pct = Math.round(Number(job.match) || 0);
        var known = satisfied.map(function (u) { return "✓ " + (labels[u] || u); })
          .concat(below.map(function (u) { return "↓ " + (labels[u] || u); }));
        return h("li", { class: "card job", "data-id": job.id },
          h("h4", {}, job.label),
          h("div", { class: "meta" }, (job.eqf ? self.t("eqf") + " " + job.eqf + " · " : "") + self.t("match", { n: pct })),
          h("div", { class: "meter", "aria-hidden": "true" }, h("span", { style: "width:" + Math.min(100, pct) + "%" })),
          h("div", { class: "counts" },
            h("span", { class: "badge ok" }, self.t("satisfied", { n: satisfied.length })),
            h("span", { class: "badge warn" }, self.t("below", { n: below.length })),
            h("span", { class: "badge miss" }, self.t("missing", { n: missing.length }))),
          known.length ? h("details", {}, h("summary", {}, self.t("yourSkills")), h("ul", {}, known.map(function (k) { return h("li", {}, k); }))) : null,
          self.button("choose", { class: "btn primary small", "data-testid": "choose-job", "aria-label": self.t("chooseAria", { name: job.label }) },
            function () { self.act({ type: "choose_job", job_id: job.id }); }));
      });
      return h("ul", { class: "jobs" }, cards);
    }

    renderGaps(pending) {
      var self = this;
      var items = (pending.options || []).map(function (g) {
        return h("li", { class: "gap", "data-id": g.id },
          h("span", {}, g.label),
          h("span", { class: "meta" }, self.t("gapLevel", { a: g.current || 0, b: g.required }), " ",
            h("span", { class: "badge " + (g.essential ? "miss" : "") }, self.t(g.essential ? "essential" : "optional"))));
      });
      return [h("ul", { class: "gaps" }, items),
        this.actions(this.button("planPathway", { class: "btn primary", "data-testid": "confirm" }, function () { self.act({ type: "confirm" }); }))];
    }

    credentialMeta(c) {
      var self = this;
      var parts = [];
      if (c.eqf != null) parts.push(this.t("eqf") + " " + c.eqf);
      if (c.ects != null) parts.push(this.t("ects", { n: c.ects }));
      if (c.hours != null) parts.push(this.t("hours", { n: c.hours }));
      if (c.languages && c.languages.length) parts.push(c.languages.map(function (l) { return LANG_NAMES[l] || l; }).join("/"));
      if (c.mode) parts.push(self.t("mode_" + c.mode));
      if (c.country) parts.push(c.country);
      return parts.join(" · ");
    }

    closesText(uris) {
      var labels = (this.data && this.data.labels) || {};
      return this.t("closes", { list: (uris || []).length ? uris.map(function (u) { return labels[u] || u.split("/").pop(); }).join(", ") : "—" });
    }

    renderPathway(pending) {
      var self = this;
      var options = pending.options || [];
      var ects = 0;
      var hours = 0;
      var steps = options.map(function (c) {
        ects += Number(c.ects) || 0;
        hours += Number(c.hours) || 0;
        return h("li", { class: "tstep", "data-testid": "pathway-step", "data-id": c.id },
          h("h4", {}, c.label), h("div", { class: "meta" }, self.credentialMeta(c)), h("div", { class: "meta" }, self.closesText(c.closes)));
      });
      var illustrative = options.some(function (c) { return c.illustrative; });
      return [h("p", { class: "meta" }, this.t("total", { ects: Math.round(ects * 10) / 10, hours: hours })),
        h("ol", { class: "timeline" }, steps),
        illustrative ? h("p", { class: "note" }, this.t("illustrative")) : null,
        this.actions(this.button("savePathway", { class: "btn primary", "data-testid": "confirm" }, function () { self.act({ type: "confirm" }); }))];
    }

    renderReport() {
      var self = this;
      return this.actions(this.button("next", { class: "btn primary", "data-testid": "next" }, function () { self.act({ type: "next" }); }));
    }

    renderDone(pending, turn) {
      var self = this;
      var profile = turn.profile || {};
      var pathway = profile.pathway || {};
      var done = profile.completed_credentials || [];
      var known = (this.data && this.data.credentials) || {};
      var ids = (pathway.steps || []).map(function (s) { return s.credential_id; });
      done.forEach(function (id) { if (ids.indexOf(id) < 0) ids.unshift(id); });
      var steps = ids.map(function (id) {
        var step = (pathway.steps || []).filter(function (s) { return s.credential_id === id; })[0] || {};
        var c = Object.assign({}, known[id] || {}, step);
        var label = c.label || c.title || id;
        var completed = done.indexOf(id) >= 0;
        return h("li", { class: "tstep" + (completed ? " done" : ""), "data-testid": "pathway-step", "data-id": id },
          h("h4", {}, label),
          h("div", { class: "meta" }, self.credentialMeta(c)),
          completed ? h("span", { class: "badge ok" }, self.t("completed"))
            : self.button("markCompleted", { class: "btn small", "data-testid": "complete", "aria-label": self.t("markAria", { name: label }) },
              function () { self.act({ type: "complete_credential", credential_id: id }); }));
      });
      var illustrative = ids.some(function (id) { return known[id] && known[id].illustrative; });
      return [
        profile.target_job ? h("p", { class: "meta" }, this.t("targetJob", { name: profile.target_job.label })) : null,
        steps.length ? [h("h3", {}, this.t("pathwayTitle")), h("ol", { class: "timeline" }, steps)] : null,
        illustrative ? h("p", { class: "note" }, this.t("illustrative")) : null,
        this.actions(
          this.button("exportJsonld", { class: "btn primary", "data-testid": "export-jsonld" }, function () { self.exportFile("jsonld"); }),
          this.button("exportHtml", { "data-testid": "export-html" }, function () { self.exportFile("html"); }))];
    }
  }

  function CSS_escape(value) {
    return window.CSS && window.CSS.escape ? window.CSS.escape(value) : String(value).replace(/["\\]/g, "\\$&");
  }

  /* ---------- registration ---------- */
  if (!customElements.get(TAG)) customElements.define(TAG, LcampPathways);

  function mount() {
    if (document.querySelector(TAG)) return;
    var el = document.createElement(TAG);
    if (SCRIPT && SCRIPT.dataset.lang) el.setAttribute("data-lang", SCRIPT.dataset.lang);
    document.body.appendChild(el);
  }
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
})();
