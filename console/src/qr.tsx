import qrcode from 'qrcode-generator';

/** A QR code of `text`, drawn here (no network): a device's camera or a phone opens the URL. */
export function QrCode({ text, label }: { text: string; label: string }) {
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  return <img class="qr" src={qr.createDataURL(5, 4)} alt={label} width={qr.getModuleCount() * 5 + 40} />;
}
