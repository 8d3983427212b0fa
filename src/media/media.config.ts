import { configSection } from '../config/config-section';

export class MediaConfig extends configSection({
  MEDIA_MAX_IMAGE_BYTES: { kind: 'int', default: '5242880', min: 1024, doc: 'Largest image upload (bytes); larger is refused with 413.' },
}) {}
