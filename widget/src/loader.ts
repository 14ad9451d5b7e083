/**
 * The embed script: `<script src="https://stratus.example.com/interact/loader.js" data-code="support" async></script>`.
 * Built as an IIFE without exports, so it defines no global name on the host page.
 */
import { mount } from './loader-core';

const current = document.currentScript as HTMLScriptElement | null;
if (current) {
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => mount(current));
  else mount(current);
}
