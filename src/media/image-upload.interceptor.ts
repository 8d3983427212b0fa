import { FileUpload } from '../common/file-upload';

/** The route accepts `multipart/form-data` with an image in `field`, up to MEDIA_MAX_IMAGE_BYTES. */
export function ImageUpload(field = 'image') {
  return FileUpload({ field, maxBytesVar: 'MEDIA_MAX_IMAGE_BYTES', what: 'image' });
}
