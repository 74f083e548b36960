// The system voice (Web Speech API, speechSynthesis) for "How do I say it?". Absent in some
// shells and test browsers: then there is no button rather than a button that does nothing.
export function canSpeak(): boolean {
  return typeof window !== 'undefined' && 'speechSynthesis' in window && 'SpeechSynthesisUtterance' in window;
}

export function speak(text: string): void {
  if (!canSpeak()) return;
  window.speechSynthesis.cancel();
  window.speechSynthesis.speak(new window.SpeechSynthesisUtterance(text));
}
