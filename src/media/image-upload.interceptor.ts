import { FileUpload } from '../common/file-upload';
import { MediaConfig } from './media.config';

/** The route accepts `multipart/form-data` with an image in `field`, up to MEDIA_MAX_IMAGE_BYTES. */
export function ImageUpload(field = 'image') {
  return FileUpload({ field, maxBytes: (c) => MediaConfig.read(c).MEDIA_MAX_IMAGE_BYTES, what: 'image' });
}
