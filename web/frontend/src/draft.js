// The draft of each exercise, kept in this browser's localStorage under a key naming the user and the
// exercise (the page gives it). Storage may be off or full: the editor then simply keeps no draft.

export function readDraft(key) {
  try {
    return window.localStorage.getItem(key);
  } catch (error) {
    return null;
  }
}

export function saveDraft(key, text) {
  try {
    if (text) window.localStorage.setItem(key, text);
    else window.localStorage.removeItem(key);
  } catch (error) { /* no room or no storage: the code is still in the form */ }
}
