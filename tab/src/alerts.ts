/**
 * A new offer's desktop notification and short sound, for an agent who turned them on (off by
 * default) and is not looking at the tab. The sound is two Web Audio beeps: no asset to load.
 */

/** Asks the browser's permission once the agent turns alerts on; true when notifications may show. */
export async function askNotificationPermission(): Promise<boolean> {
  if (typeof Notification === 'undefined') return false;
  if (Notification.permission === 'granted') return true;
  if (Notification.permission === 'denied') return false;
  return (await Notification.requestPermission()) === 'granted';
}

/** Whether the agent is looking elsewhere (another tab or window): only then does an offer alert. */
export function lookingElsewhere(doc: Document = document): boolean {
  return doc.hidden || !doc.hasFocus();
}

/** Plays and shows offer alerts; one per tab (owns its audio context, made on first use). */
export class OfferAlerter {
  private audio?: AudioContext;

  /** Shows the notification (when allowed) and plays the beep. Never throws: an alert is a courtesy. */
  alert(customer: string, service: string): void {
    try {
      if (typeof Notification !== 'undefined' && Notification.permission === 'granted') {
        const n = new Notification(`${customer} is waiting — ${service}`, {
          tag: 'stratus-offer',
          body: 'A new chat is offered to you in My Sessions.',
        });
        n.onclick = () => {
          window.focus();
          n.close();
        };
      }
    } catch {
      // Some hosts (a Teams webview) refuse notifications even with permission: the sound still plays.
    }
    this.beep();
  }

  /** Two short tones. */
  beep(): void {
    try {
      const Ctx = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
      if (!Ctx) return;
      this.audio ??= new Ctx();
      const audio = this.audio;
      const t0 = audio.currentTime;
      for (const [at, freq] of [
        [0, 880],
        [0.18, 1175],
      ] as const) {
        const osc = audio.createOscillator();
        const gain = audio.createGain();
        osc.frequency.value = freq;
        gain.gain.setValueAtTime(0.0001, t0 + at);
        gain.gain.exponentialRampToValueAtTime(0.2, t0 + at + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, t0 + at + 0.15);
        osc.connect(gain).connect(audio.destination);
        osc.start(t0 + at);
        osc.stop(t0 + at + 0.16);
      }
    } catch {
      // No audio (autoplay policy before any click, no device): the notification is enough.
    }
  }
}
